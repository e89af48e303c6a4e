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
    public void AnOptInNoCallGivesNamesTheSourceItHoldsBack()
    {
        // autogluon's `load(path, trust_remote=False)`: the sink stays step 2's medium, but its message said "attribute
        // 'response.content', whose origin is unknown" although the network's data reaches it once a caller opts in.
        var result = Scan(TaintOptions.Default, ("load_pkl.py", """
            import pickle
            import requests

            def load(path, trust_remote=False):
                return _load_from_url(url=path, trust_remote=trust_remote)

            def _load_from_url(url, trust_remote=False):
                if not trust_remote:
                    raise ValueError("refusing to load a pickle from a URL")
                response = requests.get(url)
                return pickle.loads(response.content)

            def main(path):
                return load(path)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.StartsWith("`pickle.loads` decodes data from requests.get, a network-data source (2 steps away), but only when 'trust_remote' of 'load' is true, "
            + "and no call in the project makes it so", finding.Message, StringComparison.Ordinal);
        Assert.Equal("source (network-data): requests.get", finding.Trace[0].Message);
        Assert.Equal(TraceStepKind.Sink, finding.Trace[^1].Kind);
    }

    [Fact]
    public void AStreamsReadBytesIsNoFileOpenedAtAPath()
    {
        // pathlib's `read_bytes` opens the file at its receiver's path; a Tornado stream's returns what the peer sent
        // (dask's comm). The trace used to say "opened as a file" and the message "the file at a path".
        var result = Scan(TaintOptions.Default, ("comm.py", """
            import pickle
            from tornado.iostream import IOStream

            async def read_frame(stream: IOStream, n: int):
                data = await stream.read_bytes(n)
                return pickle.loads(data)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.StartsWith("`pickle.loads` decodes data from stream.read_bytes, a remote source", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(finding.Trace, s => s.Message.Contains("opened", StringComparison.Ordinal));
    }

    [Fact]
    public void AMethodOfALocalHoldingASourceKeepsTheTraceFromWhereTheDataEntered()
    {
        // `cookie.split("!")` resolves to the same source as the `request.cookies.get` the local holds; the trace
        // used to start again at the split, losing the line where the cookie was read (Vulnerable-Code-Snippets).
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from flask import request

            def home():
                cookie = request.cookies.get("location")
                location = cookie.split("!")[1]
                return pickle.loads(location)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            ["5 source (remote): flask.request.cookies", "5 assigned to 'cookie'", "6 assigned to 'location'", "7 reaches `pickle.loads` (PG101)"],
            finding.Trace.Select(step => $"{step.Location.Line} {step.Message}"));
    }

    [Fact]
    public void ALongTraceSaysHowManyStepsItLeavesOutAndCountsThemInTheDistance()
    {
        // 41 helpers, 40 passing the data on: 84 steps, of which the report shows the first 60 and the sink. The trace
        // used to jump to the sink unannounced and the message said "60 steps away" (prefect's runner).
        var helpers = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"def f{i}(d):\n    return f{i + 1}(d)\n"));
        var result = Scan(TaintOptions.Default, ("app.py", $$"""
            import pickle
            from flask import request

            {{helpers}}
            def f40(d):
                return pickle.loads(d)

            def view():
                return f0(request.data)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Contains("a remote source (83 steps away)", finding.Message, StringComparison.Ordinal);
        Assert.Equal(62, finding.Trace.Count);
        Assert.Equal("… 23 more steps not shown", finding.Trace[60].Message);
        Assert.Equal(TraceStepKind.Sink, finding.Trace[61].Kind);
    }

    [Fact]
    public void ATaintedArgumentDoesNotLeakIntoTheNextCallsArguments()
    {
        // The analyzer keeps the argument arrays of calls passing tainted data for later calls of the same length: the
        // first call's tainted first argument must not be the next call's.
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from flask import request

            def first(x, y):
                return pickle.loads(x)

            def second(x, y):
                return pickle.loads(y)

            def view():
                data = request.data
                second(data, b"kept")
                first(b"kept", data)
                second(b"kept", data)
            """));
        var findings = result.Findings.Where(f => f.RuleCode == "PG101").OrderBy(f => f.Location.Line).ToList();
        Assert.Equal(2, findings.Count);
        Assert.DoesNotContain("flask.request.data", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("flask.request.data", findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenedPathSaysTheSourceChoosesTheFile()
    {
        var result = Scan(TaintOptions.Default, ("app.py", """
            import marshal
            from flask import request

            def view():
                name = request.args["egg"]
                f = open(name, "rb")
                return marshal.load(f)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG102");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            [
                "5 Source source (remote): flask.request.args",
                "5 Step assigned to 'name'",
                "6 Step opened as a file: its contents are whatever is stored at that path",
                "6 Step assigned to 'f'",
                "7 Sink reaches `marshal.load` (PG102)",
            ],
            finding.Trace.Select(s => $"{s.Location.Line} {s.Kind} {s.Message}"));
        Assert.StartsWith(
            "`marshal.load` decodes the file at a path that comes from flask.request.args, a remote source (4 steps away; opened by `open` (app.py:6)): "
            + "whoever controls the path chooses which file is decoded — any payload they can place on this machine: ",
            finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADownloadedPathOpenedSaysTheFileHoldsWhatWasServed()
    {
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from huggingface_hub import HfApi

            def load(repo_id):
                path = HfApi().hf_hub_download(repo_id=repo_id, filename="index.pkl")
                with open(path, "rb") as f:
                    return pickle.load(f)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.StartsWith(
            "`pickle.load` decodes the file at a path that comes from huggingface_hub.HfApi().hf_hub_download, a network-data source (4 steps away; "
            + "opened by `open` (app.py:6)): a downloaded file holds whatever was served, and whoever controls the path chooses which file is decoded",
            finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASavedFilesTraceShowsTheNearestSaveOfItsPath()
    {
        // sentence-transformers' ms_marco scripts each download the same scores file and load it; both traces cited the
        // save of the script analysed first. Now: a save in the reader's own file (also in another of its functions),
        // then one in its directory, then one further away.
        const string Save = """
            import pickle
            from urllib.request import urlretrieve

            def fetch():
                urlretrieve("https://example.com/scores.pkl", "data/scores.pkl")

            def load():
                with open("data/scores.pkl", "rb") as f:
                    return pickle.load(f)
            """;
        const string LoadOnly = """
            import pickle

            with open("data/scores.pkl", "rb") as f:
                scores = pickle.load(f)
            """;
        var result = Scan(TaintOptions.Default,
            ("aaa/elsewhere.py", Save), ("training/margin.py", Save), ("training/mnrl.py", Save), ("training/evaluate.py", LoadOnly), ("zzz/report.py", LoadOnly));
        string SaveCited(string file)
        {
            var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101" && f.Location.Path == file);
            Assert.Equal(Severity.High, finding.Severity);
            var save = Assert.Single(finding.Trace, s => s.Message == "saved to 'data/scores.pkl'");
            return $"{save.Location.Path}:{save.Location.Line}";
        }
        Assert.Equal("aaa/elsewhere.py:5", SaveCited("aaa/elsewhere.py"));
        Assert.Equal("training/margin.py:5", SaveCited("training/margin.py"));
        Assert.Equal("training/mnrl.py:5", SaveCited("training/mnrl.py"));
        Assert.StartsWith("training/m", SaveCited("training/evaluate.py"), StringComparison.Ordinal);
        Assert.EndsWith(".py:5", SaveCited("zzz/report.py"), StringComparison.Ordinal);
    }

    [Fact]
    public void AScriptThatSavesAFileItselfCitesItsOwnSaveEvenWhenAnotherScriptsWasSeenFirst()
    {
        // sentence-transformers' image-search notebooks: each downloads the embeddings file at its top level and loads it.
        // The script deeper in the call graph is analysed after the other, and its first analysis only sees the other's
        // save; its own, seen a round later, gives a trace of the same length, which must win.
        const string Download = """
            import requests

            def http_get(url, path):
                with open(path, "wb") as f:
                    f.write(requests.get(url).content)
            """;
        const string Clustering = """
            import os
            import pickle
            import util

            name = "embeddings.pkl"
            if not os.path.exists(name):
                util.http_get("https://example.com/" + name, name)
            with open(name, "rb") as f:
                emb = pickle.load(f)
            """;
        const string Search = """
            import os
            import pickle
            import util

            def show(x):
                return shown(x)

            def shown(x):
                return printed(x)

            def printed(x):
                return str(x)

            show(1)
            name = "embeddings.pkl"
            if not os.path.exists(name):
                util.http_get("https://example.com/" + name, name)
            with open(name, "rb") as f:
                emb = pickle.load(f)
            """;
        var result = Scan(TaintOptions.Default, ("util.py", Download), ("clustering.py", Clustering), ("search.py", Search));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101" && f.Location.Path == "search.py");
        Assert.Equal(Severity.High, finding.Severity);
        var save = Assert.Single(finding.Trace, s => s.Message == "saved to 'embeddings.pkl'");
        Assert.Equal("search.py:17", $"{save.Location.Path}:{save.Location.Line}");
    }

    [Fact]
    public void OpeningInsideACalleeReachesTheCallersReport()
    {
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from pathlib import Path
            from flask import request

            def restore(path):
                return pickle.loads(Path(path).read_bytes())

            def view():
                return restore(request.args["p"])
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("6 Step opened as a file: its contents are whatever is stored at that path", finding.Trace.Select(s => $"{s.Location.Line} {s.Kind} {s.Message}"));
        Assert.Contains("(4 steps away; opened by `.read_bytes()` (app.py:6))", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectPathBeatsAnOpenedOneOfTheSameSeverity()
    {
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from flask import request

            def view():
                blob = open(request.args["p"], "rb").read()
                if request.args.get("inline"):
                    blob = request.args["blob"].encode()
                return pickle.loads(blob)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.StartsWith("`pickle.loads` decodes data from flask.request.args, a remote source", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(finding.Trace, s => s.Message.StartsWith("opened as a file", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OpeningSurvivesTheTraceLengthLimit(bool inHelper)
    {
        // 70 copies make the trace longer than its 60-step limit before the file is opened (here, or in a helper whose
        // chain is spliced in step by step): later steps are dropped, the opening and the sink are kept.
        var copies = string.Join("\n", Enumerable.Range(1, 70).Select(i => $"    x{i} = x{i - 1}"));
        var code = $"""
            import pickle
            from flask import request

            def restore(path):
                return pickle.load(open(path, "rb"))

            def view():
                x0 = request.args["p"]
            {copies}
                {(inHelper ? "return restore(x70)" : "return pickle.load(open(x70, \"rb\"))")}
            """;
        var finding = Assert.Single(Scan(TaintOptions.Default, ("app.py", code)).Findings, f => f.RuleCode == "PG101" && f.Trace.Count > 0);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.True(finding.Trace.Count > 60, $"{finding.Trace.Count} steps");
        Assert.Contains(finding.Trace, s => s.Message == "opened as a file: its contents are whatever is stored at that path" && s.Location.Line == (inHelper ? 5 : 79));
        Assert.Equal(TraceStepKind.Sink, finding.Trace[^1].Kind);
        Assert.Contains($"opened by `open` (app.py:{(inHelper ? 5 : 79)})", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalOpenedPathIsMediumAndSaysSo()
    {
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            import sys

            def main():
                with open(sys.argv[1], "rb") as f:
                    return pickle.load(f)
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("decodes the file at a path that comes from sys.argv, a local source", finding.Message, StringComparison.Ordinal);
        Assert.Contains("; whoever controls that input chooses which file is decoded — any payload they can place on this machine: ", finding.Message, StringComparison.Ordinal);
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

            class Store:
                def __init__(self, blob):
                    self.blob = blob

                def value(self):
                    return pickle.loads(self.blob)

            class _Hidden:
                def __init__(self, blob):
                    self.blob = blob

                def value(self):
                    return pickle.loads(self.blob)
            """);
        var options = new TaintOptions { SourceKinds = new HashSet<string> { "library" } };
        var findings = Scan(options, code).Findings.Where(f => f.RuleCode == "PG101").ToArray();
        Assert.Equal(4, findings.Length);
        Assert.Equal("source (library): parameter 'blob' of public api.restore()", findings[0].Trace[0].Message);
        Assert.Empty(findings[1].Trace);
        // A public class's constructor is public API: what the caller gives `Store(blob)` reaches `value()`.
        Assert.Equal("source (library): parameter 'blob' of public api.Store()", findings[2].Trace[0].Message);
        Assert.Empty(findings[3].Trace);
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

    [Fact]
    public void NestedPassThroughCallsSpliceEachCalleesPath()
    {
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from flask import request

            def inner(v):
                w = v.strip()
                return w

            def middle(u):
                return inner(u)

            def outer(t):
                return middle(t)

            def view():
                body = request.data
                return pickle.loads(outer(body))
            """));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(
            [
                "15 Source source (remote): flask.request.data",
                "15 Step assigned to 'body'",
                "16 Step passed as 't' to 'outer'",
                "11 Step parameter 't' of 'outer'",
                "12 Step passed as 'u' to 'middle'",
                "8 Step parameter 'u' of 'middle'",
                "9 Step passed as 'v' to 'inner'",
                "4 Step parameter 'v' of 'inner'",
                "5 Step assigned to 'w'",
                "6 Step returned by 'inner'",
                "9 Step returned by 'middle'",
                "12 Step returned by 'outer'",
                "16 Sink reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => $"{s.Location.Line} {s.Kind} {s.Message}"));
    }

    [Fact]
    public void EachCallStepNamesItsOwnParameterAndCallee()
    {
        // The analyzer keeps the text of call and assignment steps per callee, parameter and name, from unit to unit.
        var result = Scan(TaintOptions.Default, ("app.py", """
            import pickle
            from flask import request

            def fetch():
                return request.data

            def load(a, b):
                pickle.loads(a)
                pickle.loads(b)

            def first():
                x = fetch()
                load(x, None)

            def second():
                y = fetch()
                load(None, y)
            """));
        string[] Steps(int line) => [.. Assert.Single(result.Findings, f => f.RuleCode == "PG101" && f.Location.Line == line).Trace.Select(s => s.Message)];
        Assert.Contains("returned from 'fetch'", Steps(8));
        Assert.Contains("assigned to 'x'", Steps(8));
        Assert.Contains("passed as 'a' to 'load'", Steps(8));
        Assert.DoesNotContain("passed as 'b' to 'load'", Steps(8));
        Assert.Contains("returned from 'fetch'", Steps(9));
        Assert.Contains("assigned to 'y'", Steps(9));
        Assert.Contains("passed as 'b' to 'load'", Steps(9));
        Assert.DoesNotContain("passed as 'a' to 'load'", Steps(9));
    }

    [Fact]
    public void ALongTraceIsCutAtItsLimitAndStillEndsAtTheSink()
    {
        // 45 helpers, each passing its parameter to the next: 2 steps per helper would make about 90.
        var helpers = string.Concat(Enumerable.Range(0, 45).Select(i => $"def h{i}(p):\n    return {(i < 44 ? $"h{i + 1}(p)" : "p")}\n\n"));
        var result = Scan(TaintOptions.Default, ("app.py", "import pickle\nfrom flask import request\n\n" + helpers
            + "def view():\n    return pickle.loads(h0(request.data))\n"));
        var trace = Assert.Single(result.Findings, f => f.RuleCode == "PG101").Trace;
        Assert.Equal(62, trace.Count); // the limit of 60 steps, a step saying how many are left out, and the sink
        Assert.Equal("source (remote): flask.request.data", trace[0].Message);
        Assert.Equal("parameter 'p' of 'h0'", trace[2].Message);
        Assert.Equal("passed as 'p' to 'h29'", trace[^3].Message);
        Assert.StartsWith("… ", trace[^2].Message, StringComparison.Ordinal);
        Assert.Equal(TraceStepKind.Sink, trace[^1].Kind);
        Assert.Equal(TraceStepKind.Source, trace[0].Kind);
        Assert.All(trace.Skip(1).SkipLast(1), step => Assert.Equal(TraceStepKind.Step, step.Kind));
    }

    [Fact]
    public void ATraceThatDoublesAtEveryCallLevelStaysWithinItsLimit()
    {
        // h{i}(p) passes p through h{i-1} twice, and h0 opens a file: every chain holds openings, which a trace keeps
        // past its limit, so the path through h40 counts about 2^41 steps. Spliced chains stay whole until a trace is
        // read; past a bound a splice is cut at once, so lengths stay ints and the trace keeps its shape.
        var helpers = string.Concat(Enumerable.Range(1, 40).Select(i => $"def h{i}(p):\n    return h{i - 1}(h{i - 1}(p))\n\n"));
        var result = Scan(TaintOptions.Default, ("app.py", "import pickle\nfrom flask import request\n\ndef h0(p):\n    return open(p, \"rb\").read()\n\n"
            + helpers + "def view():\n    return pickle.loads(h40(request.args[\"p\"]))\n"));
        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
        Assert.InRange(finding.Trace.Count, 61, 200);
        Assert.Equal("source (remote): flask.request.args", finding.Trace[0].Message);
        Assert.Equal(TraceStepKind.Sink, finding.Trace[^1].Kind);
        Assert.Empty(result.Errors);
    }
}
