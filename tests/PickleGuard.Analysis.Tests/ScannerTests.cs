using System.Text;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests;

public sealed class ScannerTests
{
    private static CodeScanResult Scan(params (string Path, string Code)[] files) =>
        new CodeScanner(ModelSet.BuiltIn).Scan(files.Select(f => new SourceInput(f.Path, Encoding.UTF8.GetBytes(f.Code))).ToArray());

    [Fact]
    public void FindingCarriesPositionCodeLineAndMessage()
    {
        var result = Scan(("app.py", "import pickle\n\ndef f(data):\n    return  pickle.loads(data)\n"));
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Findings.Count);
        var import = result.Findings[0];
        Assert.Equal(("PG100", Severity.Info, 1, 1), (import.RuleCode, import.Severity, import.Location.Line, import.Location.Column));
        var sink = result.Findings[1];
        Assert.Equal(("PG101", Severity.Medium, 4, 13), (sink.RuleCode, sink.Severity, sink.Location.Line, sink.Location.Column));
        Assert.Equal("return  pickle.loads(data)", sink.CodeLine);
        Assert.Equal("app.py", sink.Location.Path);
        Assert.StartsWith("`pickle.loads` decodes parameter 'data', whose origin is unknown", sink.Message, StringComparison.Ordinal);
        Assert.Equal(Confidence.High, sink.Confidence);
    }

    [Theory]
    [InlineData("fill_through(buf, data)")] // a helper handing the buffer on to one that writes into it
    [InlineData("download_into(buf, 'models', 'state.pkl')")] // a helper downloading into it
    public void WithoutTaintABufferFilledThroughHelpersIsOfUnknownProvenance(string call)
    {
        // Step 2 alone: the buffer's literal binding proves nothing once a helper fills it (was low, "a literal").
        var code = $$"""
            import io, pickle
            import boto3

            def fill(target, data):
                target.write(data)

            def fill_through(target, data):
                fill(target, data)

            def download_into(target, bucket, key):
                boto3.client("s3").download_fileobj(bucket, key, target)

            def load(data):
                buf = io.BytesIO()
                {{call}}
                return pickle.load(buf)
            """;
        var result = new CodeScanner(ModelSet.BuiltIn, PickleGuard.Analysis.Taint.TaintOptions.Disabled).Scan([new SourceInput("app.py", Encoding.UTF8.GetBytes(code))]);
        var sink = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.Medium, sink.Severity);
        Assert.Contains("wrote into 'buf'", sink.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subprocess.run(['curl', '-L', url, '-o', path], check=True)", Severity.Medium)]
    [InlineData("os.system(f'wget {url} -O {path}')", Severity.Medium)]
    [InlineData("subprocess.run(['curl', url, path])", Severity.Low)] // curl writes to its standard output
    [InlineData("subprocess.run(['git', 'clone', url, '-o', path])", Severity.Low)]
    public void WithoutTaintAFileACommandDownloadsIntoIsOfUnknownProvenance(string call, Severity severity)
    {
        // Step 2 alone: the literal path proves nothing once curl or wget downloaded into it (was low, "a literal").
        var code = $$"""
            import os, subprocess
            import torch

            def load(url):
                path = "/srv/models/model.pt"
                {{call}}
                return torch.load(path)
            """;
        var result = new CodeScanner(ModelSet.BuiltIn, PickleGuard.Analysis.Taint.TaintOptions.Disabled).Scan([new SourceInput("app.py", Encoding.UTF8.GetBytes(code))]);
        var sink = Assert.Single(result.Findings, f => f.RuleCode == "PG104");
        Assert.Equal(severity, sink.Severity);
    }

    [Theory]
    [InlineData("with open('/srv/state.pkl', 'rb') as f:\n    pickle.load(f)", "`pickle.load` decodes 'f', which comes from the file at the literal path '/srv/state.pkl', which the program controls")]
    [InlineData("pickle.loads(open('/srv/x.pkl', 'rb').read())", "`pickle.loads` decodes the file at the literal path '/srv/x.pkl', which the program controls")]
    [InlineData("pickle.load(open(os.path.join('/srv', 'x.pkl'), 'rb'))", "`pickle.load` decodes a file at a path the program builds from literals, which the program controls")]
    [InlineData("import pathlib\npickle.loads(pathlib.Path('/srv/x.pkl').read_bytes())", "`pickle.loads` decodes a file at a path the program builds from literals, which the program controls")]
    [InlineData("def f(name):\n    with open(name, 'rb') as f:\n        return pickle.load(f)", "`pickle.load` decodes 'f', which comes from the file opened from parameter 'name', whose origin is unknown")]
    [InlineData("import json\ndef migrate(row):\n    row.value = json.dumps(pickle.loads(row.value))", "`pickle.loads` decodes attribute 'row.value', whose origin is unknown")]
    [InlineData("def migrate(row, fetch):\n    row.value = fetch()\n    row.value = str(pickle.loads(row.value))", "`pickle.loads` decodes the result of 'fetch()', whose origin is unknown")]
    public void AnOpenedFileIsNamedByItsPathInTheMessage(string code, string message)
    {
        var sink = Assert.Single(Scan(("app.py", "import os, pickle\n" + code + "\n")).Findings, f => f.RuleCode == "PG101");
        Assert.Equal(message.EndsWith("unknown", StringComparison.Ordinal) ? Severity.Medium : Severity.Low, sink.Severity);
        Assert.StartsWith(message, sink.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("with fsspec.open('https://example.com/m.pkl', 'rb') as f:\n    pickle.load(f)", "PG101", "`pickle.load` decodes 'f', which comes from the content downloaded from 'https://example.com/m.pkl', whose origin is unknown")]
    [InlineData("pandas.read_pickle('s3://bucket/frame.pkl')", "PG106", "`pandas.read_pickle` decodes the content downloaded from 's3://bucket/frame.pkl', whose origin is unknown")]
    [InlineData("URL = 'gs://bucket/frame.pkl'\npandas.read_pickle(URL)", "PG106", "`pandas.read_pickle` decodes the content downloaded from 'gs://bucket/frame.pkl', whose origin is unknown")]
    [InlineData("def f(name):\n    return pandas.read_pickle(f'https://cdn.example.com/{name}.pkl')", "PG106", "`pandas.read_pickle` decodes the content downloaded from 'https://cdn.example.com/...', whose origin is unknown")]
    [InlineData("with fsspec.open('/srv/m.pkl', 'rb') as f:\n    pickle.load(f)", "PG101", "`pickle.load` decodes 'f', which comes from the file at the literal path '/srv/m.pkl', which the program controls")]
    [InlineData("pandas.read_pickle('frame.pkl')", "PG106", "`pandas.read_pickle` decodes a literal, which the program controls")]
    [InlineData("with open('https://example.com/m.pkl', 'rb') as f:\n    pickle.load(f)", "PG101", "`pickle.load` decodes 'f', which comes from the file at the literal path 'https://example.com/m.pkl', which the program controls")]
    public void ALiteralRemoteUrlIsDownloadedWhereTheCallTakesUrls(string code, string rule, string message)
    {
        var result = new CodeScanner(ModelSet.BuiltIn, PickleGuard.Analysis.Taint.TaintOptions.Disabled)
            .Scan([new SourceInput("app.py", Encoding.UTF8.GetBytes("import fsspec, pandas, pickle\n" + code + "\n"))]);
        var sink = Assert.Single(result.Findings, f => f.RuleCode == rule);
        Assert.Equal(message.EndsWith("unknown", StringComparison.Ordinal) ? Severity.Medium : Severity.Low, sink.Severity);
        Assert.StartsWith(message, sink.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfidenceDropsWhenTheCalleeMayAlsoBeHarmless()
    {
        var result = Scan(("a.py", "import json, pickle, torch\n\ndef f(d, fast):\n    g = json.loads if fast else pickle.loads\n    g(d)\n    pickle.loads(d)\n    torch.jit.load(d)\n"));
        var confidences = result.Findings.Where(f => f.Severity > Severity.Info).Select(f => (f.Location.Line, f.Confidence)).ToArray();
        Assert.Equal([(5, Confidence.Medium), (6, Confidence.High), (7, Confidence.Medium)], confidences);
    }

    [Fact]
    public void AProjectSubclassesLoadIsNamedAfterTheSubclass()
    {
        // The reader looks for the subclass, not for the library class: `codec.Loose().load`, not `pickle.Unpickler().load`.
        var result = Scan(("codec.py", "import pickle\n\nclass Loose(pickle.Unpickler):\n    pass\n\ndef f(stream):\n    return Loose(stream).load()\n"));
        var sink = Assert.Single(result.Findings, f => f.RuleCode == "PG101");
        Assert.StartsWith("`codec.Loose().load` decodes parameter 'stream'", sink.Message, StringComparison.Ordinal);
    }

    // stable-diffusion-webui's RestrictedUnpickler: a hook an extension installs answers before the allow-list. The reason
    // named a prefix test and an unguarded `super().find_class`, neither of which the class has.
    private const string HookedFindClass =
        "import collections, pickle, requests\n\nclass Hooked(pickle.Unpickler):\n    extra_handler = None\n\n    def find_class(self, module, name):\n"
        + "        if self.extra_handler is not None:\n            res = self.extra_handler(module, name)\n            if res is not None:\n                return res\n"
        + "        if module == 'collections' and name == 'OrderedDict':\n            return getattr(collections, name)\n"
        + "        raise pickle.UnpicklingError(name)\n\n";

    private const string HookEscape =
        "unpickling runs any callable the stream names that `find_class` lets through, and `Hooked.find_class` returns what `self.extra_handler(module, name)` (line 8) returns, which may be any global.";

    [Theory]
    [InlineData(HookedFindClass + "def check(stream, handler):\n    u = Hooked(stream)\n    u.extra_handler = handler\n    return u.load()\n",
        "`codec.Hooked().load` decodes parameter 'stream', whose origin is unknown: " + HookEscape)]
    [InlineData(HookedFindClass + "def fetch(url):\n    return Hooked(requests.get(url).raw).load()\n",
        "`codec.Hooked().load` decodes data from requests.get, a network-data source (1 step away): " + HookEscape)]
    [InlineData("import pickle\n\nclass Prefixed(pickle.Unpickler):\n    def find_class(self, module, name):\n        if module.startswith('collections'):\n"
        + "            return super().find_class(module, name)\n        raise pickle.UnpicklingError(name)\n\ndef f(stream):\n    return Prefixed(stream).load()\n",
        "`codec.Prefixed().load` decodes parameter 'stream', whose origin is unknown: unpickling runs any callable the stream names that `find_class` lets "
        + "through, and `Prefixed.find_class` returns `super().find_class(module, name)` (line 6) with no allow-list test before it that admits only "
        + "harmless globals, so globals that run code resolve.")]
    [InlineData("import pickle\n\nSAFE = ('collections', 'builtins')\n\nclass Listed(pickle.Unpickler):\n    def find_class(self, module, name):\n"
        + "        if module not in SAFE:\n            raise pickle.UnpicklingError(name)\n        return super().find_class(module, name)\n\n"
        + "def f(stream):\n    return Listed(stream).load()\n",
        "`codec.Listed().load` decodes parameter 'stream', whose origin is unknown: unpickling runs any callable the stream names that `find_class` lets "
        + "through, and `Listed.find_class` tests `module not in SAFE` (line 7), which admits every global of `builtins` by the module's name alone.")]
    public void AFindClassThatLetsAnyGlobalThroughSaysHow(string code, string message)
    {
        var sink = Assert.Single(Scan(("codec.py", code)).Findings, f => f.RuleCode == "PG101");
        Assert.Equal(message, sink.Message);
    }

    [Fact]
    public void SyntaxErrorsAreReportedAndTheRestIsStillAnalysed()
    {
        var result = Scan(("broken.py", "import pickle\ndef f(:\n    pass\npickle.loads(x)\n"));
        var error = Assert.Single(result.Errors);
        Assert.Equal("broken.py", error.Path);
        Assert.Contains("syntax error at line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(result.Findings, f => f.RuleCode == "PG101" && f.Location.Line == 4);
    }

    [Fact]
    public void UndecodableFilesBecomeInputErrors()
    {
        var bad = new SourceInput("bad.py", [0x23, 0x20, 0x63, 0x6f, 0x64, 0x69, 0x6e, 0x67, 0x3a, 0x20, 0x78, 0x78, 0x0a]);
        var result = new CodeScanner(ModelSet.BuiltIn).Scan([bad, new SourceInput("ok.py", "import marshal\n"u8.ToArray())]);
        Assert.Equal("bad.py", Assert.Single(result.Errors).Path);
        Assert.Equal("PG100", Assert.Single(result.Findings).RuleCode);
    }

    [Fact]
    public void ResultsAreOrderedDeterministically()
    {
        var files = Enumerable.Range(0, 40).Select(i => ($"m{i:D2}.py", "import pickle\npickle.loads(x)\npickle.load(y)\n")).ToArray();
        var first = Scan(files).Findings.Select(f => $"{f.Location.Path}:{f.Location.Line}:{f.RuleCode}").ToArray();
        var second = Scan(files.Reverse().ToArray()).Findings.Select(f => $"{f.Location.Path}:{f.Location.Line}:{f.RuleCode}").ToArray();
        Assert.Equal(120, first.Length);
        Assert.Equal(first, second);
        Assert.Equal("m00.py:1:PG100", first[0]);
    }

    [Fact]
    public void EveryModelledRuleHasADescriptor()
    {
        var codes = CodeRules.All.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(CodeRules.All.Count, codes.Count);
        Assert.All(ModelSet.BuiltIn.Sinks, s => Assert.Contains(s.Rule, codes));
        Assert.All(CodeRules.All, r =>
        {
            Assert.Equal(502, r.Cwe);
            Assert.NotEmpty(r.References);
            Assert.False(string.IsNullOrWhiteSpace(r.UseInstead));
            Assert.Contains("```python", r.Example, StringComparison.Ordinal);
        });
        Assert.Equal(Severity.Info, CodeRules.Find("PG100")!.DefaultSeverity);
    }
}
