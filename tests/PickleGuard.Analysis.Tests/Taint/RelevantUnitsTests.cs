using System.Text;
using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// The fixpoint analyses only the units that can change a finding (RelevantUnits): callers of sinks, what they call,
/// and the writers of what those read. Each case here has a writer that neither calls a sink nor is called by a unit
/// that does, so the path is only found when that writer is kept: every rule of the set has a case that fails without it.
/// </summary>
public sealed class RelevantUnitsTests
{
    [Theory]
    [InlineData("a module's top level writes its variable", """
        import pickle
        from flask import request
        payload = request.get_data()
        def load():
            return pickle.loads(payload)
        """)]
    [InlineData("a function declaring the variable global writes it", """
        import pickle
        from flask import request
        CACHE = None
        def remember():
            global CACHE
            CACHE = request.get_data()
        def load():
            return pickle.loads(CACHE)
        """)]
    [InlineData("a function changes a module container in place", """
        import pickle
        from flask import request
        JOBS = []
        def submit():
            JOBS.append(request.get_data())
        def worker():
            return pickle.loads(JOBS.pop())
        """)]
    [InlineData("a helper queues its parameter into a module container; its caller passes the source", """
        import pickle
        from flask import request
        JOBS = []
        def enqueue(item):
            JOBS.append(item)
        def submit():
            enqueue(request.get_data())
        def worker():
            return pickle.loads(JOBS.pop())
        """)]
    [InlineData("a function stores an attribute of a module-level object", """
        import pickle
        from flask import request
        class Settings:
            pass
        SETTINGS = Settings()
        def configure():
            SETTINGS.blob = request.get_data()
        def load():
            return pickle.loads(SETTINGS.blob)
        """)]
    [InlineData("a function constructs a dataclass whose generated __init__ stores the source", """
        import pickle
        from dataclasses import dataclass
        from flask import request
        @dataclass
        class Upload:
            data: bytes
            def restore(self):
                return pickle.loads(self.data)
        def accept(executor):
            upload = Upload(request.get_data())
            executor.submit(upload.restore)
        """)]
    [InlineData("the enclosing function writes its closure's variable", """
        import base64
        import pickle
        from flask import request
        def outer():
            data = base64.b64decode(request.get_data())
            def inner():
                return pickle.loads(data)
            return inner
        """)]
    [InlineData("a constructor stores on the receiver; its caller passes the source", """
        import pickle
        from flask import request
        class Box:
            def __init__(self, data):
                self.data = data
            def load(self):
                return pickle.loads(self.data)
        def fill():
            Box(request.get_data())
        """)]
    [InlineData("a constructor stores through the instance dictionary; its caller passes the source", """
        import pickle
        from flask import request
        class Box:
            def __init__(self, data):
                self.__dict__["data"] = data
            def load(self):
                return pickle.loads(self.data)
        def fill():
            Box(request.get_data())
        """)]
    [InlineData("an attribute stored on another object", """
        import pickle
        from flask import request
        REGISTRY = []
        class Holder:
            def load(self):
                return pickle.loads(self.blob)
        def fill():
            holder = Holder()
            holder.blob = request.get_data()
            REGISTRY.append(holder)
        """)]
    [InlineData("a container held in an attribute of a base class", """
        import pickle
        from flask import request
        class Base:
            def __init__(self):
                self.items = []
            def add(self, item):
                self.items.append(item)
        class Reader(Base):
            def first(self):
                return pickle.loads(self.items[0])
        def fill():
            reader = Reader()
            reader.add(request.get_data())
            KEEP.append(reader)
        KEEP = []
        """)]
    [InlineData("a file saved by an upload handler", """
        import torch
        from flask import request
        MODEL = "model.pt"
        def upload():
            request.files["m"].save(MODEL)
        def predict():
            return torch.load(MODEL)
        """)]
    [InlineData("a function makes an object of a subclass whose base's __init__ stores what a method of a base above it reads", """
        import pickle
        from flask import request
        class Reader:
            def load(self):
                return pickle.loads(self.data)
        class Holder(Reader):
            def __init__(self, data):
                self.data = data
        class Remote(Holder):
            pass
        def make():
            return Remote(request.get_data())
        """)]
    public void AWriterOutsideTheSinksCallChainIsAnalysed(string why, string code)
    {
        var finding = Assert.Single(Scan(code), f => f.Severity >= Severity.Medium && f.RuleCode != "PG100");
        Assert.True(finding.Severity == Severity.High, $"{why}: {finding.Severity} {finding.Message}");
    }

    [Fact]
    public void AWriterOfAnotherModulesVariableThroughAnImportIsAnalysed()
    {
        var findings = new CodeScanner(ModelSet.BuiltIn).Scan([
            File("jobs.py", "import queue\nJOBS = queue.Queue()\n"),
            File("routes.py", "import jobs\nfrom flask import request\ndef submit():\n    jobs.JOBS.put(request.get_data())\n"),
            File("worker.py", "import pickle\nfrom jobs import JOBS\ndef work():\n    return pickle.loads(JOBS.get())\n"),
        ]).Findings;
        var finding = Assert.Single(findings, f => f.RuleCode == "PG101");
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Fact]
    public void UnitsThatCannotReachASinkAreNotAnalysed()
    {
        // Without a sink nothing is analysed: no budget note for a function that would blow the budget.
        var code = new StringBuilder("from flask import request\ndef busy():\n    x = request.data\n");
        for (var i = 0; i < 400; i++)
        {
            code.AppendLine($"    x = x + request.args['{i}']");
        }
        var options = TaintOptions.Default with { MaxStepsPerFunction = 100 };
        var result = new CodeScanner(ModelSet.BuiltIn, options).Scan([new SourceInput("/relevant/busy.py", Encoding.UTF8.GetBytes(code.ToString()))]);
        Assert.Empty(result.Errors);
        // The same function feeding a sink is analysed, and cut short.
        code.AppendLine("    import pickle\n    pickle.loads(x)");
        result = new CodeScanner(ModelSet.BuiltIn, options).Scan([new SourceInput("/relevant/busy.py", Encoding.UTF8.GetBytes(code.ToString()))]);
        Assert.Contains(result.Errors, e => e.Message.Contains("'busy' was cut short at 100 steps", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryClassStoringAReadAttributeHasItsWritersAnalysed()
    {
        // Two classes store `data` on self (one in a base class), each read by its own method and each made by its own
        // function: whichever reader is looked at second still needs its class's writer and that writer's caller. What
        // was added is marked per class and attribute, not per attribute (fails when marked per attribute).
        var findings = Scan("""
            import pickle
            from flask import request
            class Job:
                def __init__(self, data):
                    self.data = data
                def run(self):
                    return pickle.loads(self.data)
            class Base:
                def __init__(self, data):
                    self.data = data
            class Other(Base):
                def run(self):
                    return pickle.loads(self.data)
            def make_job():
                Job(request.get_data())
            def make_other():
                Other(request.get_data())
            """);
        Assert.Equal([7, 13], findings.Where(f => f.Severity == Severity.High).Select(f => f.Location.Line).Order());
    }

    [Theory]
    [InlineData("append", true)] // a queue-like method: the helper's parameter reaches JOBS through its summary
    [InlineData("add", false)] // a set of seen items: what the caller passes is no fact (FactWriters.MayQueueParameters)
    public void CallersOfAWriterAreAnalysedOnlyWhenItMayQueueItsParameter(string method, bool analysed)
    {
        var code = new StringBuilder($"import pickle\nfrom flask import request\nJOBS = {(method == "add" ? "set()" : "[]")}\n");
        code.AppendLine($"def remember(item):\n    JOBS.{method}(item)\ndef load():\n    return pickle.loads(JOBS.pop())\ndef busy():\n    x = request.data");
        for (var i = 0; i < 400; i++)
        {
            code.AppendLine($"    x = x + request.args['{i}']");
        }
        code.AppendLine("    remember(x)");
        var options = TaintOptions.Default with { MaxStepsPerFunction = 100 };
        var result = new CodeScanner(ModelSet.BuiltIn, options).Scan([new SourceInput("/relevant/jobs.py", Encoding.UTF8.GetBytes(code.ToString()))]);
        Assert.Equal(analysed, result.Errors.Any(e => e.Message.Contains("'busy' was cut short", StringComparison.Ordinal)));
    }

    private static SourceInput File(string name, string code) => new("/relevant/" + name, Encoding.UTF8.GetBytes(code));

    private static IReadOnlyList<Finding> Scan(string code) =>
        new CodeScanner(ModelSet.BuiltIn).Scan([new SourceInput("/relevant/app.py", Encoding.UTF8.GetBytes(code))]).Findings;
}
