using System.Diagnostics;
using System.ComponentModel;

namespace PickleGuard.Analysis.Tests.Fixes;

/// <summary>
/// CPython as an oracle for the committed fixtures: every expected fixed file compiles (compile, never run), and
/// keeps exactly the comments of the original. Skipped visibly when python3 is not installed.
/// </summary>
public sealed class CPythonOracleTests
{
    private const string Script = """
        import io, sys, tokenize
        def comments(text):
            return [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT]
        for path in sys.argv[1:]:
            before = open(path, encoding="utf-8").read()
            after = open(path + ".fixed", encoding="utf-8").read()
            compile(after, path + ".fixed", "exec", dont_inherit=True)
            print(path.rsplit("/", 1)[-1], comments(before) == comments(after))
        """;

    [SkippableFact]
    public void FixedFixturesCompileAndKeepEveryComment()
    {
        var files = Directory.GetFiles(FixScan.FixtureRoot, "*.py").Order(StringComparer.Ordinal).ToArray();
        var output = RunPython(files);
        Skip.If(output is null, "python3 not found");
        var expected = files.Select(f => $"{Path.GetFileName(f)} True");
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static string? RunPython(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "python3 did not finish");
            Assert.True(process.ExitCode == 0, stderr.Result);
            return stdout.Result;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
