using System.Diagnostics;

namespace PickleGuard.Benchmarks;

/// <summary>Every .py file of the CPython standard library (site-packages excluded), loaded into memory once.</summary>
internal sealed class StdlibCorpus
{
    private static readonly Lazy<StdlibCorpus> Shared = new(Load);

    private StdlibCorpus(string root, IReadOnlyList<(string Path, byte[] Bytes)> files)
    {
        Root = root;
        Files = files;
        TotalBytes = files.Sum(f => (long)f.Bytes.Length);
    }

    public static StdlibCorpus Instance => Shared.Value;

    public string Root { get; }

    public IReadOnlyList<(string Path, byte[] Bytes)> Files { get; }

    public long TotalBytes { get; }

    private static StdlibCorpus Load()
    {
        var root = Environment.GetEnvironmentVariable("PICKLEGUARD_STDLIB") ?? AskPython3()
            ?? throw new InvalidOperationException("no corpus: set PICKLEGUARD_STDLIB to a CPython Lib directory (or install python3)");
        var files = Directory.EnumerateFiles(root, "*.py", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Contains("site-packages"))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllBytes(f)))
            .ToList();
        return new StdlibCorpus(root, files);
    }

    private static string? AskPython3()
    {
        var start = new ProcessStartInfo("python3", "-c \"import sysconfig;print(sysconfig.get_paths()['stdlib'])\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start);
            var output = process?.StandardOutput.ReadToEnd().Trim();
            process?.WaitForExit();
            return process?.ExitCode == 0 && Directory.Exists(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
