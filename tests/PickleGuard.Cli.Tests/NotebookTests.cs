using System.Text;
using PickleGuard.Cli.Inputs;

namespace PickleGuard.Cli.Tests;

public class NotebookTests
{
    private const string Notebook = """
        {"cells": [
          {"cell_type": "markdown", "source": ["# Title\n"]},
          {"cell_type": "code", "source": ["%matplotlib inline\n", "import pickle\n", "!pip install x\n", "data = 1"]},
          {"cell_type": "code", "source": "%%bash\necho hi\n"},
          {"cell_type": "code", "source": ["obj = pickle.loads(data)\n"]}
        ], "nbformat": 4}
        """;

    [Fact]
    public void ExtractsCodeCellsAndReplacesMagics()
    {
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(Notebook), out var source, out var map, out var error));
        Assert.Null(error);
        Assert.Equal("pass\nimport pickle\npass\ndata = 1\n\n\nobj = pickle.loads(data)\n", source);
        Assert.Equal([2, 3, 4], map.CellIndexes);
        Assert.True(map.TryMap(7, out var cell, out var line));
        Assert.Equal((4, 1), (cell, line));
        Assert.True(map.TryMap(2, out cell, out line));
        Assert.Equal((2, 2), (cell, line));
    }

    [Fact]
    public void AnOpenedPathInANotebookNamesNoFlattenedLine()
    {
        // The cells are joined into one module: a line number in the message would not match the cell the trace shows.
        using var dir = new TempDir();
        dir.Write("explore.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["import pickle, sys\n", "path = sys.argv[1]\n"]},
              {"cell_type": "code", "source": ["handle = open(path, 'rb')\n", "rows = pickle.load(handle)\n"]}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "explore.ipynb");
        Assert.Contains("explore.ipynb:cell 2:2:8: medium PG101", result.Out);
        Assert.Contains("(4 steps away; opened by `open`);", result.Out);
        Assert.Contains("step: explore.ipynb:cell 2:1 opened as a file", result.Out);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public void ALineNamedInTheMessageIsGivenByCell(string format)
    {
        // "compared with a constant (line 4)" counted the cells joined into one script; the notebook shows cells.
        using var dir = new TempDir();
        dir.Write("guard.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["import pickle\n", "from flask import request\n"]},
              {"cell_type": "code", "source": ["data = request.data\n", "if data == b\"x\":\n", "    pickle.loads(data)\n"]}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "guard.ipynb", "--format", format);
        Assert.Contains("compared with a constant (cell 2, line 2)", result.Out);
        Assert.DoesNotContain("(line 4)", result.Out);
    }

    [Fact]
    public void ReplacesMagicsWrittenWithoutTheirPercentSign()
    {
        // IPython runs `pip install x` as `%pip install x` (automagic): it was a syntax error (pygoat's notebooks).
        const string notebook = """
            {"cells": [{"cell_type": "code", "source": ["pip install chatterbot==1.0.2\n", "cd data\n", "time = 3\n",
              "ls -la\n", "run(time)\n", "pip if time else ls\n"]}], "nbformat": 4}
            """;
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(notebook), out var source, out _, out _));
        Assert.Equal("pass\npass\ntime = 3\nls -la\nrun(time)\npip if time else ls\n", source);
    }

    [Fact]
    public void AMagicInsideABlockBecomesPassAtItsIndentation()
    {
        // A blanked `    !pip install x` left `if not has_cupy:` without a body: a syntax error, reported in the next cell.
        // A cell magic (`%%time`) is one only on the first line of its cell; further down it is a line like any magic.
        const string notebook = """
            {"cells": [
              {"cell_type": "code", "source": "import thinc.util\nif not thinc.util.has_cupy:\n    !pip install \"cupy-cuda101\""},
              {"cell_type": "code", "source": "if not thinc.util.has_torch:\n    %pip install torch"},
              {"cell_type": "code", "source": "def setup():\n\tpip install x\n%%time\nx = 1"}
            ], "nbformat": 4}
            """;
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(notebook), out var source, out _, out _));
        Assert.Equal("import thinc.util\nif not thinc.util.has_cupy:\n    pass\nif not thinc.util.has_torch:\n    pass\n"
            + "def setup():\n\tpass\npass\nx = 1\n", source);
    }

    [Fact]
    public void ATimingMagicKeepsItsStatementAndAnAssignedMagicItsTargets()
    {
        // `%time obj = pickle.loads(blob)` runs the statement (it was replaced by `pass`: a sink lost); `files = !ls`
        // was a syntax error. The statement keeps its columns behind a `pass;` as wide as the magic and its options.
        const string notebook = """
            {"cells": [{"cell_type": "code", "source": ["%time obj = pickle.loads(blob)\n", "%timeit -n 10 -r3 f(x)\n",
              "if ready:\n", "    %prun run(x)\n", "files = !ls\n", "a, b = %sx ls\n", "%time\n", "%timeit x\n"]}], "nbformat": 4}
            """;
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(notebook), out var source, out _, out _));
        Assert.Equal("pass; obj = pickle.loads(blob)\npass;             f(x)\nif ready:\n    pass; run(x)\nfiles = None\na, b = None\n"
            + "pass\npass;   x\n", source);
    }

    [Fact]
    public void AShellOrMagicAssignmentKeepsAnyTargetAsIPythonDoes()
    {
        // IPython keeps whatever is before the first `=` outside brackets: `[path] = !ls -t | head -1` (MLServer's mlflow
        // notebooks), a subscript, an annotated name or a statement after `if x:` were syntax errors. `a = b = !ls`,
        // `x += !ls`, `x = %%bash` and `!(...)` inside brackets stay as they are: IPython does not transform them either.
        const string notebook = """
            {"cells": [{"cell_type": "code", "source": ["[experiment_file_path] = !ls -td ./mlruns/0/* | head -1\n",
              "d['a=b'] = !ls\n", "x.y[0]=!ls\n", "[a] = %sx ls\n", "n: list = !ls\n", "if ready: files = !ls\n",
              "a, b = % sx ls\n", "a = b = !ls\n", "x += !ls\n", "x == !ls\n", "x = %%bash\n", "f(a=!ls)\n",
              "names = (\n", "    !(kubectl get x)\n", ")\n"]}], "nbformat": 4}
            """;
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(notebook), out var source, out _, out _));
        Assert.Equal("[experiment_file_path] = None\nd['a=b'] = None\nx.y[0]= None\n[a] = None\nn: list = None\n"
            + "if ready: files = None\na, b = None\na = b = !ls\nx += !ls\nx == !ls\nx = %%bash\nf(a=!ls)\n"
            + "names = (\n    !(kubectl get x)\n)\n", source);
    }

    [Fact]
    public void HelpRequestsAndATimedMagicAreNoPython()
    {
        // `??name`, `name?` and `%time %pxresult` were syntax errors (ipyparallel's benchmark notebooks and its
        // "Parallel Magics" example). A `?` in a comment or a string, or inside brackets, is Python's.
        const string notebook = """
            {"cells": [{"cell_type": "code", "source": ["??make_benchmark\n", "?\n", "pickle.loads?\n", "if x:\n",
              "    obj??\n", "np.*load*?\n", "%time %pxresult\n", "%timeit -n1 %px x=1\n", "x = 1  # why?\n",
              "s = 'what?'\n", "f(a,\n", "  b)?\n", "%time f(x)\n"]}], "nbformat": 4}
            """;
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(notebook), out var source, out _, out _));
        Assert.Equal("pass\npass\npass\nif x:\n    pass\npass\npass\npass\nx = 1  # why?\ns = 'what?'\nf(a,\n  b)?\npass; f(x)\n", source);
    }

    [Fact]
    public void AHelpCellIsNoSyntaxError()
    {
        using var dir = new TempDir();
        dir.Write("bench.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["import pickle\n"]},
              {"cell_type": "code", "source": ["??pickle.loads"]},
              {"cell_type": "code", "source": ["pickle.loads?"]}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "bench.ipynb", "--severity", "info");
        Assert.DoesNotContain("syntax error", result.Out);
        Assert.Contains("bench.ipynb:cell 1:1:", result.Out);
    }

    [Fact]
    public void ASinkUnderATimingMagicIsFoundAtItsColumn()
    {
        using var dir = new TempDir();
        dir.Write("timed.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["import pickle, sys\n", "%time rows = pickle.loads(open(sys.argv[1], 'rb').read())\n"]}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "timed.ipynb");
        Assert.Contains("timed.ipynb:cell 1:2:14: medium PG101", result.Out);
    }

    [Fact]
    public void ALineContinuingPythonIsNoMagic()
    {
        // IPython reads magics where a logical line starts: inside brackets `%` is the modulo operator, inside a string text.
        const string notebook = """
            {"cells": [
              {"cell_type": "code", "source": ["msg = (\"%s of %s\"\n", "       % (a, b))\n", "doc = \"\"\"\n", "!important\n", "\"\"\"\n",
                "total = 10 \\\n", "  % 3\n", "!ls\n"]}
            ], "nbformat": 4}
            """;
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(notebook), out var source, out _, out _));
        Assert.Equal("msg = (\"%s of %s\"\n       % (a, b))\ndoc = \"\"\"\n!important\n\"\"\"\ntotal = 10 \\\n  % 3\npass\n", source);
    }

    [Fact]
    public void AShellEscapesContinuationLinesAndACellsLeadingIndentAreReadAsIPythonDoes()
    {
        // IPython joins `!cmd \` and the lines it continues into one command, and removes a cell's leading indentation
        // (deepchem's and speechbrain's tutorials). A continued line of Python after a magic stays Python.
        const string notebook = """
            {"cells": [
              {"cell_type": "code", "source": ["!python main.py pretrain \\\n", "        --data_path x.csv \\\n", "        --restart\n", "y = 2\n"]},
              {"cell_type": "code", "source": ["\n", " from Bio.Seq import MutableSeq\n", " seq = MutableSeq(\"GC\")\n", "last = 1\n"]},
              {"cell_type": "code", "source": ["%time total = 1 + \\\n", "    2\n"]}
            ], "nbformat": 4}
            """;
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(notebook), out var source, out _, out _));
        Assert.Equal("pass\n\n\ny = 2\n\nfrom Bio.Seq import MutableSeq\nseq = MutableSeq(\"GC\")\nlast = 1\npass; total = 1 + \\\n    2\n", source);
    }

    [Fact]
    public void AShellCommandContinuedOverIndentedLinesIsNoSyntaxError()
    {
        using var dir = new TempDir();
        dir.Write("grover.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["!python scripts/save_features.py --data_path tryout.csv \\\n", "    --restart\n"]},
              {"cell_type": "code", "source": ["    import pickle\n", "    from flask import request\n", "    pickle.loads(request.data)\n"]}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "grover.ipynb");
        Assert.DoesNotContain("syntax error", result.Out);
        Assert.Contains("grover.ipynb:cell 2:3:1: high PG101", result.Out);
    }

    [Fact]
    public void AMagicInsideABlockIsNoSyntaxError()
    {
        using var dir = new TempDir();
        dir.Write("intro.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": "import thinc.util\nif not thinc.util.has_cupy:\n    !pip install \"cupy-cuda101\""},
              {"cell_type": "code", "source": "if not thinc.util.has_torch:\n    %pip install torch"},
              {"cell_type": "code", "source": "x = 1"}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "intro.ipynb", "--severity", "info");
        Assert.DoesNotContain("syntax error", result.Out);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void ASyntaxErrorInANotebookNamesItsCell()
    {
        using var dir = new TempDir();
        dir.Write("broken.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["import pickle\n"]},
              {"cell_type": "markdown", "source": ["text\n"]},
              {"cell_type": "code", "source": ["x = 1\n", "def (:\n"]}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "broken.ipynb", "--format", "json");
        Assert.Contains("syntax error in cell 3, line 2 (the rest of the file was still analysed)", result.Out);
    }

    [Fact]
    public void ASyntaxErrorAtTheEndOfACellNamesThatCell()
    {
        // Jupyter compiles each cell alone; in the joined script the missing body was met at the next cell's first line.
        using var dir = new TempDir();
        dir.Write("open.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["import pickle\n", "if pickle:\n"]},
              {"cell_type": "code", "source": ["x = 1\n"]}
            ], "nbformat": 4}
            """);
        var result = CliRunner.RunIn(dir.Root, "scan", "open.ipynb");
        Assert.Contains("open.ipynb: error: syntax error in cell 1, line 2 (the rest of the file was still analysed): expected an indented block", result.Out);
    }

    [Fact]
    public void RejectsNonNotebooks()
    {
        Assert.False(NotebookSource.TryExtract(Encoding.UTF8.GetBytes("[1,2]"), out _, out _, out var error));
        Assert.Contains("cells", error);
        Assert.False(NotebookSource.TryExtract(Encoding.UTF8.GetBytes("{not json"), out _, out _, out error));
        Assert.StartsWith("invalid notebook JSON", error);
    }
}
