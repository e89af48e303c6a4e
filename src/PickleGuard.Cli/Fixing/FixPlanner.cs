using System.Text;
using System.Text.Unicode;
using PickleGuard.Analysis.Fixes;
using PickleGuard.Cli.Scanning;
using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Cli.Fixing;

/// <summary>
/// Groups the fixes of the reported findings per file, refuses overlaps, and computes the new bytes so that every byte
/// outside the edits stays as it was (BOM, line endings, untouched text).
/// </summary>
internal static class FixPlanner
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static (IReadOnlyList<FilePlan> Plans, IReadOnlyList<InputError> Notes) Plan(
        IEnumerable<Finding> findings, IReadOnlyDictionary<string, PreparedSource> sources)
    {
        var plans = new List<FilePlan>();
        var notes = new List<InputError>();
        foreach (var group in findings.Where(f => f.Fix is { Edits.Count: > 0 }).GroupBy(f => f.Location.Path, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!sources.TryGetValue(group.Key, out var source) || source.Cells is not null)
            {
                notes.Add(new InputError(group.Key, "not fixed: fixes are applied to Python files only"));
                continue;
            }
            var original = source.Content ?? throw new InvalidOperationException("a scan that fixes keeps the bytes of its sources");
            var edits = new EditSet();
            var fixCount = 0;
            foreach (var finding in group)
            {
                if (finding.Fix!.Edits.Any(e => e.Path != group.Key) || !edits.TryAdd(finding.Fix.Edits))
                {
                    notes.Add(new InputError(group.Key, $"line {finding.Location.Line}: fix skipped, it overlaps another fix (run --fix again)"));
                    continue;
                }
                fixCount++;
            }
            if (Rewrite(original, source.Text.Text, edits) is not { } bytes)
            {
                notes.Add(new InputError(group.Key, "not fixed: the file is not UTF-8, and only UTF-8/ASCII files are rewritten"));
                continue;
            }
            plans.Add(new FilePlan(group.Key, original, bytes, source.Text.Text, edits.Edits, fixCount));
        }
        return (plans, notes);
    }

    /// <summary>
    /// The file's bytes with the edits spliced in, or null unless the file is UTF-8 (with or without BOM) and decodes to
    /// exactly the text the offsets refer to.
    /// </summary>
    private static byte[]? Rewrite(ReadOnlySpan<byte> bytes, string text, EditSet edits)
    {
        var prefix = bytes.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        var body = bytes[prefix..];
        if (!Utf8.IsValid(body) || Encoding.UTF8.GetString(body) != text || edits.ApplyTo(text) is null)
        {
            return null;
        }
        var output = new List<byte>(bytes.Length + 64);
        output.AddRange(bytes[..prefix]);
        var charPosition = 0;
        var bytePosition = prefix;
        foreach (var edit in edits.Edits)
        {
            var keptBytes = Encoding.UTF8.GetByteCount(text.AsSpan(charPosition, edit.Start - charPosition));
            output.AddRange(bytes.Slice(bytePosition, keptBytes));
            output.AddRange(Encoding.UTF8.GetBytes(edit.NewText));
            bytePosition += keptBytes + Encoding.UTF8.GetByteCount(text.AsSpan(edit.Start, edit.End - edit.Start));
            charPosition = edit.End;
        }
        output.AddRange(bytes[bytePosition..]);
        return [.. output];
    }

    /// <summary>The fixed text, for diffs (same edits as the bytes).</summary>
    public static string NewText(FilePlan plan)
    {
        var edits = new EditSet();
        edits.TryAdd(plan.Edits);
        return edits.ApplyTo(plan.OldText) ?? plan.OldText;
    }

    /// <summary>Whether the fixed text parses with no more diagnostics than the original (a last guard before writing).</summary>
    public static bool StillParses(FilePlan plan) =>
        PythonParser.Parse(NewText(plan), plan.Path).Diagnostics.Count <= PythonParser.Parse(plan.OldText, plan.Path).Diagnostics.Count;
}
