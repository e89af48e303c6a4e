using System.Globalization;
using PickleGuard.Cli.Scanning;
using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Fixing;

/// <summary>
/// <c>scan --diff</c> and <c>scan --fix</c> over the findings a scan reported (after severity, select, ignore,
/// baseline and suppressions): prints the fixes as a unified diff, or writes them and rescans to report what remains.
/// </summary>
internal static class FixRunner
{
    /// <param name="rescan">Runs the ordinary scan and report again (after --fix), returning its exit code.</param>
    public static int Run(FixMode mode, IReadOnlyList<Finding> findings, IReadOnlyDictionary<string, PreparedSource> sources,
        CommandIo io, Func<int> rescan)
    {
        var (plans, notes) = FixPlanner.Plan(findings, sources);
        var safe = new List<FilePlan>();
        foreach (var plan in plans)
        {
            if (FixPlanner.StillParses(plan))
            {
                safe.Add(plan);
            }
            else
            {
                notes = [.. notes, new InputError(plan.Path, "not fixed: the edited file would not parse")];
            }
        }
        foreach (var note in notes)
        {
            io.Error.WriteLine($"pickleguard: {PathDisplay.Relative(note.Path, io.WorkingDirectory)}: {note.Message}");
        }
        var fixes = safe.Sum(p => p.FixCount);
        if (mode == FixMode.Diff)
        {
            foreach (var plan in safe)
            {
                io.Out.Write(UnifiedDiff.Create(PathDisplay.Relative(plan.Path, io.WorkingDirectory), plan.OldText, plan.Edits));
            }
            io.Error.WriteLine(Summary($"{fixes} fix{(fixes == 1 ? "" : "es")} available in {safe.Count} file{(safe.Count == 1 ? "" : "s")}", "not applied; use --fix to apply"));
            return safe.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
        }
        var written = 0;
        var applied = 0;
        foreach (var plan in safe)
        {
            if (Write(plan, io))
            {
                written++;
                applied += plan.FixCount;
            }
        }
        io.Error.WriteLine(Summary($"fixed {applied} finding{(applied == 1 ? "" : "s")} in {written} file{(written == 1 ? "" : "s")}", "remaining findings follow"));
        return rescan();
    }

    /// <summary>Writes only if the file still holds the bytes that were scanned (it may have changed meanwhile).</summary>
    private static bool Write(FilePlan plan, CommandIo io)
    {
        try
        {
            if (!File.ReadAllBytes(plan.Path).AsSpan().SequenceEqual(plan.Original))
            {
                io.Error.WriteLine($"pickleguard: {PathDisplay.Relative(plan.Path, io.WorkingDirectory)}: not fixed: the file changed during the scan");
                return false;
            }
            File.WriteAllBytes(plan.Path, plan.Fixed);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            io.Error.WriteLine($"pickleguard: {PathDisplay.Relative(plan.Path, io.WorkingDirectory)}: not fixed: {ex.Message}");
            return false;
        }
    }

    private static string Summary(string what, string then) => string.Create(CultureInfo.InvariantCulture, $"pickleguard: {what} ({then})");
}
