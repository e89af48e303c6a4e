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
    public void ExtractsCodeCellsAndBlanksMagics()
    {
        Assert.True(NotebookSource.TryExtract(Encoding.UTF8.GetBytes(Notebook), out var source, out var map, out var error));
        Assert.Null(error);
        Assert.Equal("\nimport pickle\n\ndata = 1\n\n\nobj = pickle.loads(data)\n", source);
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

    [Fact]
    public void RejectsNonNotebooks()
    {
        Assert.False(NotebookSource.TryExtract(Encoding.UTF8.GetBytes("[1,2]"), out _, out _, out var error));
        Assert.Contains("cells", error);
        Assert.False(NotebookSource.TryExtract(Encoding.UTF8.GetBytes("{not json"), out _, out _, out error));
        Assert.StartsWith("invalid notebook JSON", error);
    }
}
