using System.Diagnostics;

namespace PickleGuard.Pickle.Tests.Conversion;

/// <summary>
/// Round trip against CPython: converts every fixture, then tests/oracle/convert_roundtrip.py loads each JSON with
/// docs/load_tagged_json.py and compares it with the value the generator builds from code (nothing is unpickled).
/// </summary>
public sealed class ConvertOracleTests
{
    [SkippableFact]
    public void TaggedJsonLoadsBackIntoTheOriginalValues()
    {
        Skip.IfNot(PythonAvailable(), "python3 is not on PATH");
        var outputDirectory = Directory.CreateTempSubdirectory("pickleguard-convert-").FullName;
        try
        {
            foreach (var row in ConvertFixtureTests.Fixtures())
            {
                string file = (string)row[0], profile = (string)row[1], allowed = (string)row[2];
                var options = allowed == "-" ? null : ConvertHelper.Allowing(allowed.Split(','));
                var result = ConvertHelper.Converter(profile, options)
                    .ConvertToFile(Path.Combine(ConvertHelper.ConvertFixtures, file), Path.Combine(outputDirectory, file + ".json"));
                Assert.True(result.Converted, string.Join("\n", result.Refusals));
            }

            var (exitCode, output) = RunPython(Path.Combine(ConvertHelper.Root, "tests", "oracle", "convert_roundtrip.py"), "--json", outputDirectory);
            Assert.True(exitCode == 0, output);
            Assert.Contains(" 0 mismatches", output);
        }
        finally
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }

    private static bool PythonAvailable()
    {
        try
        {
            return RunPython("-c", "import sys; assert sys.version_info >= (3, 7)").ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int ExitCode, string Output) RunPython(params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
