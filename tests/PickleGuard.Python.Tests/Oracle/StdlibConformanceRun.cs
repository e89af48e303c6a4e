using System.Collections.Concurrent;
using System.Diagnostics;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// One differential run over the CPython standard library (an xunit class fixture, so the
/// conformance tests share it): the reference python3 says which files are valid, CPython 3.13
/// dumps their trees, CPython 2.7 tells Python-2-only files from broken ones, and the parser under
/// test parses every file while the oracles stream their answers.
/// </summary>
public sealed class StdlibConformanceRun
{
    private static readonly TimeSpan OracleTimeout = TimeSpan.FromMinutes(4);

    public StdlibConformanceRun()
    {
        SkipReason = FindSkipReason();
        if (SkipReason is not null)
            return;
        try
        {
            Run();
        }
#pragma warning disable CA1031 // Reported by every test of the class instead of a fixture crash.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Failure = exception.ToString();
        }
    }

    /// <summary>Why the run could not happen on this machine (tests skip with it).</summary>
    public string? SkipReason { get; }

    /// <summary>Why the run broke (tests fail with it).</summary>
    public string? Failure { get; private set; }

    public string CorpusRoot { get; private set; } = "";

    public string ReferenceVersion { get; private set; } = "";

    public string? DumpOracleVersion { get; private set; }

    public bool HasPython2Oracle { get; private set; }

    internal IReadOnlyList<FileOutcome> Files { get; private set; } = [];

    internal IReadOnlyList<Divergence> Divergences { get; private set; } = [];

    internal KnownDivergences Known { get; private set; } = KnownDivergences.Parse([]);

    public TimeSpan WallTime { get; private set; }

    private static string? FindSkipReason()
    {
        if (OracleEnvironment.Python3 is null)
            return "python3 is not installed: the stdlib conformance run needs it as the oracle";
        if (OracleEnvironment.Stdlib is null)
            return "the CPython standard library was not found (set PICKLEGUARD_STDLIB)";
        if (OracleEnvironment.ScriptsDirectory is null || OracleEnvironment.TestDataDirectory is null)
            return "the repository root (PickleGuard.slnx) was not found above the test binaries";
        return null;
    }

    private void Run()
    {
        var clock = Stopwatch.StartNew();
        CorpusRoot = OracleEnvironment.Stdlib!;
        var scripts = OracleEnvironment.ScriptsDirectory!;
        Known = KnownDivergences.Load(Path.Combine(OracleEnvironment.TestDataDirectory!, "known-divergences.txt"));
        var corpus = StdlibCorpus.Enumerate(CorpusRoot);
        var absolute = corpus.Select(f => f.FullPath).ToList();
        var relativeOf = corpus.ToDictionary(f => f.FullPath, f => f.RelativePath, StringComparer.Ordinal);
        var dumpScript = Path.Combine(scripts, "ast_dump.py");

        var python3 = OracleEnvironment.Python3!;
        ReferenceVersion = OracleEnvironment.RunAndRead(python3, "-c \"import sys;print(sys.version.split()[0])\"") ?? "?";
        var python313 = OracleEnvironment.Python313;
        DumpOracleVersion = python313 is null
            ? null
            : OracleEnvironment.RunAndRead(python313, "-c \"import sys;print(sys.version.split()[0])\"");

        // The reference decides acceptance; it needs no dump and runs beside the dump oracle.
        var reference = new ConcurrentDictionary<string, OracleRecord>(StringComparer.Ordinal);
        var referenceTask = Task.Run(() => OracleProcess.Run(
            python3, [dumpScript, "--jsonl", "--no-dump", "--stdin"], absolute,
            line => { var r = OracleRecord.Parse(line); reference[r.Path] = r; }, OracleTimeout));

        var parsed = new ConcurrentDictionary<string, Parsed>(StringComparer.Ordinal);
        if (python313 is not null)
            ParseAlongsideDumpOracle(python313, dumpScript, absolute, parsed);
        else
            Parallel.ForEach(absolute, path => parsed[path] = new Parsed(ParseFile(path, withDump: false), null, false, null));

        // OracleProcess.Run bounds its own time, so this wait ends.
        referenceTask.GetAwaiter().GetResult();

        var python2 = AskPython2(scripts, reference.Values.Where(r => !r.Accepted).Select(r => r.Path).ToList());

        Files = corpus.Select(file =>
        {
            var (ours, dumpRecord, compared, diff) = parsed[file.FullPath];
            bool? accepts2 = python2 is null ? null : python2.TryGetValue(file.FullPath, out var a) ? a : null;
            return new FileOutcome(relativeOf[file.FullPath], file.Size, reference[file.FullPath], dumpRecord, accepts2, ours, compared, diff);
        }).ToList();
        Divergences = Files.Select(Classify).OfType<Divergence>().ToList();
        WallTime = clock.Elapsed;
    }

    private static void ParseAlongsideDumpOracle(
        string python313,
        string dumpScript,
        List<string> absolute,
        ConcurrentDictionary<string, Parsed> parsed)
    {
        using var queue = new BlockingCollection<OracleRecord>(boundedCapacity: 64);
        var inFlight = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var workers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(worker => Task.Run(() =>
        {
            foreach (var record in queue.GetConsumingEnumerable())
            {
                inFlight[record.Path] = 0;
                var withDump = record.Accepted && record.Dump is not null;
                var ours = ParseFile(record.Path, withDump);
                var compared = withDump && ours.Dump is not null;
                var diff = compared ? DumpDiff.Compare(record.Dump!, ours.Dump!) : null;
                // Keep only what the report needs: the dumps are large (150 MB for the stdlib).
                parsed[record.Path] = new Parsed(ours with { Dump = null }, record with { Dump = null }, compared, diff);
                inFlight.TryRemove(record.Path, out _);
            }
        })).ToArray();
        try
        {
            OracleProcess.Run(python313, [dumpScript, "--jsonl", "--jobs", "2", "--stdin"], absolute,
                line => queue.Add(OracleRecord.Parse(line)), OracleTimeout);
        }
        finally
        {
            queue.CompleteAdding();
        }
        if (!Task.WaitAll(workers, OracleTimeout))
            throw new TimeoutException($"the parser did not finish these files within {OracleTimeout}: {string.Join(", ", inFlight.Keys)}");
    }

    private sealed record Parsed(ParsedFile Ours, OracleRecord? DumpOracle, bool DumpCompared, DumpDiff? Diff);

    private static ParsedFile ParseFile(string path, bool withDump) =>
        ParserUnderTest.Parse(File.ReadAllBytes(path), path, withDump);

    private Dictionary<string, bool>? AskPython2(string scripts, List<string> rejected)
    {
        if (OracleEnvironment.Python27 is not { } python27)
            return null;
        HasPython2Oracle = true;
        var answers = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (rejected.Count == 0)
            return answers;
        OracleProcess.Run(python27, [Path.Combine(scripts, "py2_accepts.py")], rejected,
            line => { var r = Python2Record.Parse(line); answers[r.Path] = r.Accepted; }, OracleTimeout);
        return answers;
    }

    private Divergence? Classify(FileOutcome file)
    {
        var ours = file.Parsed;
        if (ours.Crash is not null)
            return new Divergence(file.Path, DivergenceKind.Crash, DiagnosticShape.Of(ours.Crash), ours.Crash);
        if (file.Reference.Accepted)
        {
            if (ours.OtherDiagnosticCount > 0)
                return new Divergence(file.Path, DivergenceKind.RejectsValid, DiagnosticShape.Of(ours.FirstOtherDiagnostic),
                    $"ours: {ours.FirstOtherDiagnostic} ({ours.OtherDiagnosticCount} diagnostics)");
            if (ours.Python2DiagnosticCount > 0)
                return new Divergence(file.Path, DivergenceKind.Python2OnValid, DiagnosticShape.Of(ours.FirstPython2Diagnostic),
                    $"ours: {ours.FirstPython2Diagnostic}");
            if (file.Diff is { } diff)
                return new Divergence(file.Path, DivergenceKind.DumpMismatch, diff.Cause, diff.Describe());
            return null;
        }
        if (file.IsPython2Only)
        {
            return ours.HasTree && ours.Python2DiagnosticCount > 0
                ? null
                : new Divergence(file.Path, DivergenceKind.Python2Missed, ours.HasTree ? "no Python-2 diagnostic" : "no tree",
                    $"CPython: {file.Reference.ErrorText}; ours: {ours.FirstOtherDiagnostic ?? "(no diagnostic)"}");
        }
        // Without the 2.7 oracle a Python-2 diagnostic on a rejected file is taken as a rejection.
        var weReject = ours.OtherDiagnosticCount > 0 || (!HasPython2Oracle && ours.Python2DiagnosticCount > 0);
        return weReject
            ? null
            : new Divergence(file.Path, DivergenceKind.AcceptsInvalid, DiagnosticShape.Of(file.Reference.Error?.Message),
                $"CPython: {file.Reference.ErrorText}");
    }
}
