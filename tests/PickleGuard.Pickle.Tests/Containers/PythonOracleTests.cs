using System.Diagnostics;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Tests.Containers;

/// <summary>
/// CPython as an oracle (never to unpickle: <c>zipfile</c> lists members, <c>pickletools.dis</c> only decodes opcodes).
/// Skipped visibly when python3 is not installed.
/// </summary>
public sealed class PythonOracleTests
{
    [SkippableFact]
    public void ZipMembersMatchWhatPythonsZipfileLists()
    {
        Skip.IfNot(PythonAvailable(), "python3 not found");
        var files = Directory.GetFiles(FixturePaths.Containers, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".pt", StringComparison.Ordinal) || f.EndsWith(".npz", StringComparison.Ordinal) || f.EndsWith(".zip", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        const string script = """
            import sys, zipfile
            for path in sys.argv[1:]:
                try:
                    names = zipfile.ZipFile(path).namelist()
                except Exception as e:
                    names = ["<error>"]
                print(path + "\t" + "\t".join(names))
            """;
        var listed = RunPython(script, files).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(parts => parts[0], parts => parts[1..]);
        var compared = 0;
        foreach (var file in files)
        {
            var names = listed[file];
            if (names is ["<error>"] || names.Length == 0)
            {
                continue; // the legacy torch file is a pickle, not a zip
            }

            var layout = new ArtifactScanner(new RecordingPickleScanner(), ContainerLimits.Default).Scan(file).Layout;
            var ours = layout.Children
                .Where(c => !c.Name.StartsWith('(') && !c.Name.EndsWith(" (local header only)", StringComparison.Ordinal)
                            && !c.Name.EndsWith(" (local header view)", StringComparison.Ordinal))
                .Select(c => c.Name);
            Assert.Equal(names, ours);
            compared++;
        }

        Assert.True(compared >= 20, $"only {compared} zips compared");
    }

    [SkippableFact]
    public void EveryStreamHandedToThePickleScannerDisassemblesInCPython()
    {
        Skip.IfNot(PythonAvailable(), "python3 not found");
        var directory = Directory.CreateTempSubdirectory("pickleguard-oracle-");
        try
        {
            var written = new List<string>();
            foreach (var file in Directory.GetFiles(Path.Combine(FixturePaths.Containers, "benign")).Order(StringComparer.Ordinal))
            {
                var recorder = new RecordingPickleScanner();
                new ArtifactScanner(recorder, ContainerLimits.Default).Scan(file);
                // pickletools cannot read joblib's in-band arrays (the pickle scanner steps over them itself).
                if (Path.GetFileName(file).Contains("joblib", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var (_, bytes) in recorder.Delivered)
                {
                    var path = Path.Combine(directory.FullName, $"{written.Count:D3}-{Path.GetFileName(file)}");
                    File.WriteAllBytes(path, bytes);
                    written.Add(path);
                }
            }

            const string script = """
                import io, pickletools, sys
                for path in sys.argv[1:]:
                    data = open(path, "rb").read()
                    stream = io.BytesIO(data)
                    pickletools.dis(stream, out=io.StringIO())
                    print(path, stream.tell(), len(data))
                """;
            var lines = RunPython(script, written).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(written.Count, lines.Length);
            Assert.True(written.Count >= 12, $"only {written.Count} streams");
            Assert.All(lines, line =>
            {
                var parts = line.Split(' ');
                Assert.Equal(parts[2], parts[1]); // one whole pickle, nothing left over
            });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static bool PythonAvailable()
    {
        try
        {
            return RunPython("print('ok')", []).Trim() == "ok";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string RunPython(string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
