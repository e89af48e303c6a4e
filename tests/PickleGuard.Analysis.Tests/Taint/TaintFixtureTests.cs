using PickleGuard.Analysis.Taint;
using PickleGuard.Analysis.Tests.Fixtures;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Taint fixtures (tests/fixtures/taint/&lt;project&gt;): the analysis harness's inline expectations plus
/// <c>source=KIND:LABEL</c>, which checks the finding's trace: it starts with a Source step of that kind, names
/// the label (a prefix of the source's name) and ends with a Sink step on the finding's line (<c>source=KIND:LABEL@LINE</c>:
/// and the Source step is on line LINE, where the data entered, not where a read of it was taken for it); and <c>opened=NAME</c>:
/// the source only names the file that is decoded, opened by NAME (<c>open</c>, <c>.read_bytes()</c>), which the
/// message and a trace step say (a traced line without it must not say so).
/// </summary>
public sealed class TaintFixtureTests
{
    private const string SourceTag = "source=";

    private const string OpenedTag = "opened=";

    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetDirectories(TaintRoot).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(project));
        }
        return data;
    }

    private static string TaintRoot => Path.Combine(Path.GetDirectoryName(FixturePaths.CodeRoot)!, "taint");

    [Theory]
    [MemberData(nameof(Projects))]
    public void ExpectationsHold(string project)
    {
        var files = Directory.GetFiles(Path.Combine(TaintRoot, project), "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var result = new CodeScanner(ModelSet.BuiltIn).Scan(files.Select(f => new SourceInput(f, File.ReadAllBytes(f))).ToArray());
        Assert.Empty(result.Errors);
        var byLine = result.Findings.GroupBy(f => (f.Location.Path, f.Location.Line)).ToDictionary(g => g.Key, g => g.ToArray());
        var problems = new List<string>();
        var checkedLines = 0;
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var findings = byLine.GetValueOrDefault((file, i + 1)) ?? [];
                var actual = findings.Select(f => $"{f.RuleCode}={f.Severity.ToName()}").ToHashSet(StringComparer.Ordinal);
                var where = $"{Path.GetRelativePath(TaintRoot, file)}:{i + 1}";
                if (Expectations.Parse(lines[i]) is not { } expectations)
                {
                    if (actual.Count > 0)
                    {
                        problems.Add($"{where}: unexpected {string.Join(' ', actual.Order())} (line has no expectation)");
                    }
                    continue;
                }
                checkedLines++;
                var wanted = expectations.Expected.Union(expectations.Spurious)
                    .Where(t => !t.StartsWith(SourceTag, StringComparison.Ordinal) && !t.StartsWith(OpenedTag, StringComparison.Ordinal))
                    .ToHashSet(StringComparer.Ordinal);
                problems.AddRange(wanted.Except(actual).Order().Select(t => $"{where}: expected {t}, reported [{string.Join(' ', actual.Order())}]"));
                problems.AddRange(actual.Except(wanted).Order().Select(t => $"{where}: unexpected {t}"));
                foreach (var tag in expectations.Expected.Where(t => t.StartsWith(SourceTag, StringComparison.Ordinal)))
                {
                    if (TraceProblem(tag[SourceTag.Length..], findings, i + 1) is { } problem)
                    {
                        problems.Add($"{where}: {problem}");
                    }
                }
                var opened = expectations.Expected.FirstOrDefault(t => t.StartsWith(OpenedTag, StringComparison.Ordinal));
                if (findings.FirstOrDefault(f => f.Trace.Count > 0) is { } traced && OpenedProblem(opened?[OpenedTag.Length..], traced) is { } openedProblem)
                {
                    problems.Add($"{where}: {openedProblem}");
                }
            }
        }
        Assert.True(checkedLines > 0, "no expectations found");
        Assert.True(problems.Count == 0, $"{problems.Count} taint fixture mismatch(es):\n" + string.Join('\n', problems));
    }

    private static string? OpenedProblem(string? opener, Finding traced)
    {
        var saysOpened = traced.Message.Contains("decodes the file at a path that comes from", StringComparison.Ordinal);
        var openingStep = traced.Trace.Any(s => s.Message == "opened as a file: its contents are whatever is stored at that path");
        if (opener is null)
        {
            return saysOpened || openingStep ? $"the source is decoded directly, the finding says a file was opened: '{traced.Message}'" : null;
        }
        if (!saysOpened || !openingStep || !traced.Message.Contains($"opened by `{opener}`", StringComparison.Ordinal))
        {
            return $"expected a file opened by `{opener}` in the message and a trace step, got '{traced.Message}'";
        }
        return null;
    }

    private static string? TraceProblem(string expected, IReadOnlyList<Finding> findings, int line)
    {
        var colon = expected.IndexOf(':');
        var (kind, label) = (expected[..colon], expected[(colon + 1)..]);
        var at = label.LastIndexOf('@');
        int? sourceLine = at > 0 && int.TryParse(label.AsSpan(at + 1), out var n) ? n : null;
        label = sourceLine is null ? label : label[..at];
        var traced = findings.FirstOrDefault(f => f.Trace.Count > 0);
        if (traced is null)
        {
            return $"expected a trace from {expected}, found none";
        }
        var first = traced.Trace[0];
        var last = traced.Trace[^1];
        if (first.Kind != TraceStepKind.Source || !first.Message.StartsWith($"source ({kind}): ", StringComparison.Ordinal))
        {
            return $"trace should start at a {kind} source, starts with '{first.Message}' ({first.Kind})";
        }
        if (!first.Message.Contains(label, StringComparison.Ordinal) && !traced.Message.Contains(label, StringComparison.Ordinal))
        {
            return $"trace should name '{label}': '{first.Message}' / '{traced.Message}'";
        }
        if (sourceLine is { } wanted && first.Location.Line != wanted)
        {
            return $"trace should start on line {wanted}, starts on line {first.Location.Line}: '{first.Message}'";
        }
        if (last.Kind != TraceStepKind.Sink || last.Location.Line != line)
        {
            return $"trace should end with the sink on line {line}, ends with '{last.Message}' at line {last.Location.Line}";
        }
        return null;
    }
}
