using System.Diagnostics;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// Cross-checks the opcode decoder against CPython's <c>pickletools.genops</c> (which only decodes, never unpickles)
/// on every fixture that pickletools reads without error.
/// </summary>
public sealed class PickletoolsOracleTests
{
    private const string Script = """
import pickletools, sys
data = open(sys.argv[1], 'rb').read()
pos = 0
try:
    while pos < len(data):
        last = None
        for op, arg, at in pickletools.genops(data[pos:]):
            print(at + pos, op.name)
            last = at + pos
        pos = last + 1
except Exception as e:
    print('ERROR', type(e).__name__)
""";

    private static bool PythonAvailable()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            p!.WaitForExit(10_000);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [SkippableFact]
    public void Decoder_agrees_with_pickletools_on_every_fixture()
    {
        Skip.IfNot(PythonAvailable(), "python3 is not installed");
        var script = Path.Combine(Path.GetTempPath(), $"pg-oracle-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, Script);
        int compared = 0;
        try
        {
            foreach (var file in Directory.GetFiles(FixturePaths.PickleFixtures, "*.pkl", SearchOption.AllDirectories).Order())
            {
                var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
                psi.ArgumentList.Add(script);
                psi.ArgumentList.Add(file);
                using var process = Process.Start(psi)!;
                var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                process.WaitForExit();
                if (lines.Any(l => l.StartsWith("ERROR", StringComparison.Ordinal)))
                {
                    continue; // pickletools is stricter than the C unpickler (e.g. I0x10) or the stream is broken on purpose
                }

                using var stream = File.OpenRead(file);
                var ours = PickleDisassembler.Disassemble(stream).Select(l => $"{l.Offset} {l.Name}").ToList();
                Assert.Equal(lines, ours);
                compared++;
            }
        }
        finally
        {
            File.Delete(script);
        }

        Assert.True(compared >= 60, $"only {compared} fixtures compared");
    }
}
