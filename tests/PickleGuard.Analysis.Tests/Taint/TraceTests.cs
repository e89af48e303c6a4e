using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

public sealed class TraceTests
{
    private static CodeScanResult Scan(TaintOptions options, params (string Path, string Code)[] files) =>
        new CodeScanner(ModelSet.BuiltIn, options).Scan(files.Select(f => new SourceInput(f.Path, System.Text.Encoding.UTF8.GetBytes(f.Code))).ToArray());

    [Fact]
    public void CrossFunctionTraceListsEveryStep()
    {
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from flask import request

            def load(blob):
                data = blob
                return pickle.loads(data)

            def view():
                cookie = request.cookies["s"]
                return load(cookie)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            [
                "9 Source source (remote): flask.request.cookies",
                "9 Step assigned to 'cookie'",
                "10 Step passed as 'blob' to 'load'",
                "4 Step parameter 'blob' of 'load'",
                "5 Step assigned to 'data'",
                "6 Sink reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => $"{s.Location.Line} {s.Kind} {s.Message}"));
        Assert.StartsWith("`pickle.loads` decodes data from flask.request.cookies, a remote source (5 steps away)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreatModelWithoutRemoteLeavesTheFindingMedium()
    {
        var code = ("app.py", """
            import pickle
            from flask import request

            def view():
                return pickle.loads(request.data)
            """);
        var remoteOff = new TaintOptions { SourceKinds = new HashSet<string> { "local" } };
        Assert.Equal(Severity.High, Scan(TaintOptions.Default, code).Findings.Single(f => f.RuleCode == "PG101").Severity);
        var medium = Scan(remoteOff, code).Findings.Single(f => f.RuleCode == "PG101");
        Assert.Equal(Severity.Medium, medium.Severity);
        Assert.Empty(medium.Trace);
        Assert.Equal(Severity.Medium, Scan(TaintOptions.Disabled, code).Findings.Single(f => f.RuleCode == "PG101").Severity);
    }

    [Fact]
    public void LibraryThreatModelMakesPublicParametersSources()
    {
        var code = ("lib/api.py", """
            import pickle

            def restore(blob):
                return pickle.loads(blob)

            def _private(blob):
                return pickle.loads(blob)
            """);
        var options = new TaintOptions { SourceKinds = new HashSet<string> { "library" } };
        var findings = Scan(options, code).Findings.Where(f => f.RuleCode == "PG101").ToArray();
        Assert.Equal(2, findings.Length);
        Assert.Equal("source (library): parameter 'blob' of public api.restore()", findings[0].Trace[0].Message);
        Assert.Empty(findings[1].Trace);
    }

    [Fact]
    public void BudgetCutIsReportedAsANote()
    {
        var options = new TaintOptions { MaxStepsPerFunction = 5 };
        var result = Scan(options, ("app.py", """
            import pickle
            from flask import request

            def view():
                a = 1
                b = 2
                c = 3
                return pickle.loads(request.data)
            """));
        Assert.Contains(result.Errors, e => e.Message.Contains("'view' was cut short at 5 steps", StringComparison.Ordinal));
    }
}
