using System.Diagnostics;
using System.Text;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Runs an oracle script: writes file paths to its standard input, one a line, and hands each line
/// of its standard output (one JSON record per file) to a callback as soon as it arrives, so the
/// large dumps are compared while the oracle is still working and never all held in memory.
/// </summary>
internal static class OracleProcess
{
    public static void Run(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyList<string> stdinLines,
        Action<string> onStdoutLine,
        TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Keep the oracle's own bytecode caches out of the corpus and the repository.
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {fileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var feeder = Task.Run(() =>
        {
            using var stdin = process.StandardInput;
            foreach (var line in stdinLines)
                stdin.WriteLine(line);
        });
        var reader = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
                onStdoutLine(line);
        });

        if (!reader.Wait(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} did not finish within {timeout}");
        }
        feeder.Wait(timeout);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        }
    }
}
