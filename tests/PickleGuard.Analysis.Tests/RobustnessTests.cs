using System.Text;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests;

/// <summary>Pathological inputs must neither crash nor hang the scanner.</summary>
public sealed class RobustnessTests
{
    private static CodeScanResult Scan(string code) =>
        new CodeScanner(ModelSet.BuiltIn).Scan([new SourceInput("deep.py", Encoding.UTF8.GetBytes(code))]);

    [Theory]
    [InlineData(50_000, "x = pickle", ".loads", "\npickle.loads(x)\n")]
    [InlineData(50_000, "x = 1", " + 1", "\npickle.loads(x)\n")]
    [InlineData(5_000, "x = ", "(", "\n")]
    [InlineData(3_000, "", "def f():\n", "")]
    public void DeepOrLongInputsDoNotCrash(int count, string prefix, string repeated, string suffix)
    {
        var code = "import pickle\n" + prefix + string.Concat(Enumerable.Repeat(repeated, count)) + suffix;
        var result = Scan(code);
        Assert.Contains(result.Findings, f => f.RuleCode == "PG100");
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(2_000, false)]
    public void AliasChainsResolveWithinTheDepthLimitAndCyclesTerminate(int length, bool resolved)
    {
        var code = new StringBuilder("import pickle\na0 = pickle.loads\n");
        for (var i = 1; i < length; i++)
        {
            code.Append($"a{i} = a{i - 1}\n");
        }
        code.Append($"a{length - 1}(x)\nc = d\nd = c\nc(x)\n");
        var result = Scan(code.ToString());
        var callLine = length + 2;
        Assert.Equal(resolved, result.Findings.Any(f => f.RuleCode == "PG101" && f.Location.Line == callLine));
        Assert.DoesNotContain(result.Findings, f => f.Location.Line > callLine);
    }

    /// <summary>
    /// Star imports of modules missing from a scanned package (a partial tree of vLLM; transformers' models package,
    /// whose submodules replace themselves in <c>sys.modules</c>): each was looked up as a member of the package
    /// importing it, doubling with every such import, and the scan never ended. The module that does exist still
    /// provides its names.
    /// </summary>
    [Fact]
    public async Task StarImportsOfMissingModulesTerminate()
    {
        var missing = string.Concat(Enumerable.Range(0, 8).Select(i => $"from .missing{i} import *\n"));
        SourceInput File(string path, string code) => new(path, Encoding.UTF8.GetBytes(code));
        var files = new[]
        {
            File("p/__init__.py", ""),
            File("p/d/__init__.py", missing + "from .lazy import *\nfrom .codec import *\n"),
            File("p/d/lazy/__init__.py", "from ... import Lazy\nimport sys\nsys.modules[__name__] = Lazy()\n"),
            File("p/d/codec.py", "import pickle\nloads = pickle.loads\n"),
            File("p/user.py", "from p.d import Thing, loads\nx = Thing()\n\ndef run(data):\n    return loads(data)\n"),
        };
        var scan = Task.Run(() => new CodeScanner(ModelSet.BuiltIn).Scan(files));

        var result = await scan.WaitAsync(TimeSpan.FromMinutes(2)); // throws TimeoutException if the scan does not end
        Assert.Contains(result.Findings, f => f.RuleCode == "PG101" && f.Location.Path == "p/user.py" && f.Location.Line == 5);
    }

    /// <summary>
    /// A retry method whose only returns call itself (LangChain's NebulaGraph client): resolving what it returns
    /// branched at each return, level after level, until the query's budget ran out and the file got a problem.
    /// </summary>
    [Fact]
    public void RecursiveReturnsDoNotExhaustTheResolver()
    {
        const string Code = """
            import pickle


            class Graph:
                def execute(self, query, retry=0):
                    try:
                        pass
                    except RuntimeError:
                        return self.execute(query, retry + 1)
                    except OSError:
                        return self.execute(query, retry + 1)
                    except ValueError:
                        return self.execute(query, retry + 2)

                def query(self, query):
                    return pickle.loads(self.execute(query).keys())
            """;
        var result = new CodeScanner(ModelSet.BuiltIn).Scan([new SourceInput("graph.py", Encoding.UTF8.GetBytes(Code))]);
        Assert.Empty(result.Errors);
        Assert.Contains(result.Findings, f => f.RuleCode == "PG101" && f.Location.Line == 16);
    }
}
