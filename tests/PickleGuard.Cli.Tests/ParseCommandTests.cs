using System.Text.Json;

namespace PickleGuard.Cli.Tests;

public class ParseCommandTests
{
    [Fact]
    public void CleanFilesExitZeroAndAreAllListedInJson()
    {
        using var dir = new TempDir();
        dir.Write("a.py", "import pickle\n\ndef f(x):\n    return x + 1\n");
        dir.Write("pkg/b.py", "class C:\n    pass\n");
        var result = CliRunner.RunIn(dir.Root, "parse", ".", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var files = document.RootElement.GetProperty("files");
        Assert.Equal(["a.py", "pkg/b.py"], files.EnumerateArray().Select(f => f.GetProperty("path").GetString()));
        Assert.All(files.EnumerateArray(), f => Assert.Equal(0, f.GetProperty("errors").GetArrayLength()));
    }

    [Fact]
    public void SyntaxErrorExitsOneWithPosition()
    {
        using var dir = new TempDir();
        dir.Write("ok.py", "x = 1\n");
        dir.Write("bad.py", "x = 1\ndef f(:\n    pass\n");
        var json = CliRunner.RunIn(dir.Root, "parse", "--format", "json");
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        var bad = document.RootElement.GetProperty("files")[0];
        Assert.Equal("bad.py", bad.GetProperty("path").GetString());
        var error = bad.GetProperty("errors")[0];
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.True(error.GetProperty("column").GetInt32() >= 1);
        Assert.False(error.GetProperty("python2").GetBoolean());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));

        var text = CliRunner.RunIn(dir.Root, "parse");
        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith("bad.py:2:", text.Out);
        Assert.Contains("Parsed 2 files: 1 with errors", text.Out);
    }

    [Fact]
    public void Python2FormsAreReportedAndCountAsErrors()
    {
        using var dir = new TempDir();
        dir.Write("old.py", "print 'hello'\n");
        var result = CliRunner.RunIn(dir.Root, "parse", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var error = document.RootElement.GetProperty("files")[0].GetProperty("errors")[0];
        Assert.True(error.GetProperty("python2").GetBoolean());
        Assert.Equal(1, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public void NotebookErrorsNameTheCell()
    {
        using var dir = new TempDir();
        dir.Write("nb.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["%time x = 1\n", "y = 2\n"]},
              {"cell_type": "markdown", "source": ["text"]},
              {"cell_type": "code", "source": ["z = 3\n", "def broken(:\n"]}
            ]}
            """);
        var result = CliRunner.RunIn(dir.Root, "parse", "nb.ipynb", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var error = document.RootElement.GetProperty("files")[0].GetProperty("errors")[0];
        Assert.Equal(3, error.GetProperty("cell").GetInt32());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        var text = CliRunner.RunIn(dir.Root, "parse", "nb.ipynb");
        Assert.StartsWith("nb.ipynb:cell 3:2:", text.Out);
    }

    [Fact]
    public void ANotebookIsParsedCellByCell()
    {
        // A header without a body or an open bracket at the end of a cell is an error in that cell, as in Jupyter; in the
        // joined script it was at the next cell's first line, or none when the next cell closed the bracket.
        using var dir = new TempDir();
        dir.Write("nb.ipynb", """
            {"cells": [
              {"cell_type": "code", "source": ["x = 1\n", "for i in x:\n"]},
              {"cell_type": "code", "source": ["f(1,\n"]},
              {"cell_type": "code", "source": ["2)\n"]}
            ]}
            """);
        var result = CliRunner.RunIn(dir.Root, "parse", "nb.ipynb");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("nb.ipynb:cell 1:2:12: syntax error: expected an indented block after 'for' statement", result.Out);
        Assert.Contains("nb.ipynb:cell 2:1:2: syntax error: '(' was never closed", result.Out);
        Assert.Contains("nb.ipynb:cell 3:1:2: syntax error: unmatched ')'", result.Out);
    }

    [Fact]
    public void MissingPathIsAUsageError()
    {
        using var dir = new TempDir();
        var result = CliRunner.RunIn(dir.Root, "parse", "nope.py");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("path 'nope.py' does not exist", result.Error);
    }

    [Fact]
    public void ExcludeAndGitIgnoreApply()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path_(".git"));
        dir.Write(".gitignore", "ignored/\n");
        dir.Write("ignored/bad.py", "def (:\n");
        dir.Write("skipme/bad.py", "def (:\n");
        dir.Write("good.py", "x = 1\n");
        var result = CliRunner.RunIn(dir.Root, "parse", "--exclude", "skipme", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        Assert.Equal(["good.py"], document.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()));
    }

    [Fact]
    public void BadConfigurationIsExitTwoNamingFileAndKey()
    {
        using var dir = new TempDir();
        dir.Write("pyproject.toml", "[tool.pickleguard]\nseverity = 3\n");
        dir.Write("a.py", "x = 1\n");
        var result = CliRunner.RunIn(dir.Root, "parse");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pyproject.toml", result.Error);
        Assert.Contains("severity", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void OutputOrderDoesNotDependOnScheduling()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 40; i++)
        {
            dir.Write($"m{i:D2}.py", i % 3 == 0 ? "def (:\n" : "x = 1\n");
        }
        var first = CliRunner.RunIn(dir.Root, "parse");
        var second = CliRunner.RunIn(dir.Root, "parse");
        Assert.Equal(first.Out, second.Out);
        Assert.StartsWith("m00.py:", first.Out);
    }
}
