using System.Diagnostics;
using System.Text;
using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Pathological code must not make the taint engine run away: a large mutually recursive group (an ORM's methods
/// calling each other) finishes within a bound, and a spent budget leaves a note and the sink-level findings.
/// </summary>
public sealed class TaintBudgetTests
{
    private const int Methods = 300;

    [Fact]
    public void LargeRecursiveGroupFinishesAndFindsThePath()
    {
        var watch = Stopwatch.StartNew();
        var result = new CodeScanner(ModelSet.BuiltIn).Scan(RecursiveGroup());
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        var sink = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, sink.Severity);
        Assert.StartsWith("source (remote): flask.request.data", sink.Trace[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpentGlobalBudgetKeepsTheSinkFindingAndSaysPrecisionWasCut()
    {
        var options = TaintOptions.Default with { MaxTotalSteps = 2_000 };
        var result = new CodeScanner(ModelSet.BuiltIn, options).Scan(RecursiveGroup());
        var sink = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.Medium, sink.Severity); // step 2's severity: no path proven before the budget ran out
        Assert.Contains(result.Errors, e => e.Message.Contains("stopped after its budget of 2000 steps; precision was cut", StringComparison.Ordinal));
    }

    [Fact]
    public void GroupWorkCapStopsTheFixpointWithANote()
    {
        var options = TaintOptions.Default with { MaxAnalysesPerGroup = Methods };
        var result = new CodeScanner(ModelSet.BuiltIn, options).Scan(RecursiveGroup());
        Assert.Contains(result.Errors, e => e.Message.Contains($"({Methods} functions) stopped after 1 iterations ({Methods} function analyses)", StringComparison.Ordinal));
    }

    [Fact]
    public void ApplyingLargeSummariesCountsAgainstTheBudget()
    {
        // 100 calls of a constructor that stores its argument in 100 attributes: few statements, but 10,000 summary
        // entries applied. The budget counts that work, so the function is cut short (with its note). A method
        // decodes an attribute, so the builder writes what a sink reads: without it nothing here would be analysed.
        var code = new StringBuilder();
        code.AppendLine("import pickle");
        code.AppendLine("class Wide:");
        code.AppendLine("    def load(self):");
        code.AppendLine("        return pickle.loads(self.a0)");
        code.AppendLine("    def __init__(self, data):");
        for (var i = 0; i < 100; i++)
        {
            code.AppendLine($"        self.a{i} = data");
        }
        code.AppendLine("def build(data):");
        for (var i = 0; i < 100; i++)
        {
            code.AppendLine($"    w{i} = Wide(data)");
        }
        var options = TaintOptions.Default with { MaxStepsPerFunction = 5_000 };
        var result = new CodeScanner(ModelSet.BuiltIn, options).Scan([new SourceInput("/budget/wide.py", Encoding.UTF8.GetBytes(code.ToString()))]);
        var note = Assert.Single(result.Errors);
        Assert.Equal("taint analysis of 'build' was cut short at 5000 steps; paths through it may be missing", note.Message);
    }

    /// <summary>
    /// One class whose methods form a single cycle (m0 → m1 → … → m299 → m0), each storing its argument in an
    /// attribute and reading the previous method's attribute; m299 feeds a sink, a Flask view feeds m0.
    /// </summary>
    private static SourceInput[] RecursiveGroup()
    {
        var code = new StringBuilder();
        code.AppendLine("import pickle");
        code.AppendLine("from flask import Flask, request");
        code.AppendLine("app = Flask(__name__)");
        code.AppendLine("class Query:");
        for (var i = 0; i < Methods; i++)
        {
            var next = (i + 1) % Methods;
            code.AppendLine($"    def m{i}(self, data, n):");
            code.AppendLine($"        self.a{i} = data");
            code.AppendLine($"        value = self.a{(i + Methods - 1) % Methods} or data");
            code.AppendLine("        for item in value:");
            code.AppendLine("            if n > 1:");
            code.AppendLine("                value = value + item");
            if (i == Methods - 1)
            {
                code.AppendLine("        pickle.loads(value)");
            }
            code.AppendLine($"        return self.m{next}(value, n - 1)");
        }
        code.AppendLine("@app.route(\"/q\")");
        code.AppendLine("def view():");
        code.AppendLine("    return Query().m0(request.data, 3)");
        return [new SourceInput("/budget/app.py", Encoding.UTF8.GetBytes(code.ToString()))];
    }
}
