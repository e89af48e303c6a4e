using System.Diagnostics;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Finds the external oracles (CPython interpreters, Node.js, the oracle scripts) and the corpus
/// (the CPython standard library) on this machine. Every lookup can be overridden with an
/// environment variable, and every one answers null when the thing is missing so tests can skip
/// visibly instead of failing.
/// </summary>
internal static class OracleEnvironment
{
    private static readonly Lazy<string?> RepositoryRootLazy = new(FindRepositoryRoot);
    private static readonly Lazy<string?> Python3Lazy = new(() => FindOnPath("python3"));
    private static readonly Lazy<string?> Python313Lazy = new(FindPython313);
    private static readonly Lazy<string?> Python27Lazy = new(FindPython27);
    private static readonly Lazy<string?> StdlibLazy = new(FindStdlib);

    /// <summary>The directory holding PickleGuard.slnx.</summary>
    public static string? RepositoryRoot => RepositoryRootLazy.Value;

    /// <summary>tests/oracle (the oracle scripts).</summary>
    public static string? ScriptsDirectory =>
        RepositoryRoot is { } root ? Path.Combine(root, "tests", "oracle") : null;

    /// <summary>tests/PickleGuard.Python.Tests/Oracle (known divergences, fixtures).</summary>
    public static string? TestDataDirectory =>
        RepositoryRoot is { } root ? Path.Combine(root, "tests", "PickleGuard.Python.Tests", "Oracle") : null;

    /// <summary>The machine's python3: the acceptance reference (CPython 3.11 here).</summary>
    public static string? Python3 => FromVariable("PICKLEGUARD_PYTHON3", () => Python3Lazy.Value);

    /// <summary>A CPython 3.13 interpreter: the dump reference (3.13 `_fields`, PEP 701 positions).</summary>
    public static string? Python313 => FromVariable("PICKLEGUARD_PYTHON313", () => Python313Lazy.Value);

    /// <summary>A CPython 2.7 interpreter: tells Python-2-only files from broken ones.</summary>
    public static string? Python27 => FromVariable("PICKLEGUARD_PYTHON27", () => Python27Lazy.Value);

    /// <summary>The standard library directory of <see cref="Python3"/>.</summary>
    public static string? Stdlib => StdlibLazy.Value;

    /// <summary>Node.js, for the Pyodide (CPython 3.14) oracle.</summary>
    public static string? Node => FromVariable("PICKLEGUARD_NODE", () => FindOnPath("node"));

    /// <summary>
    /// The executable an environment variable names, else <paramref name="fallback"/>'s answer. A
    /// variable naming a missing file (e.g. "none") means "not installed": that is how a run checks
    /// that the tests skip visibly.
    /// </summary>
    private static string? FromVariable(string variable, Func<string?> fallback) =>
        Environment.GetEnvironmentVariable(variable) switch
        {
            null => fallback(),
            var path => File.Exists(path) ? path : null,
        };

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PickleGuard.slnx")))
                return dir.FullName;
        }
        return null;
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static string? FindPython313()
    {
        var fromPyenv = FindPyenvInterpreter("3.13.", "python3");
        if (fromPyenv is not null)
            return fromPyenv;
        if (FindOnPath("python3.13") is { } onPath)
            return onPath;
        // python3 itself will do when it is 3.13 or newer.
        return Python3 is { } python3 && VersionOf(python3) is { } version && version >= new Version(3, 13)
            ? python3
            : null;
    }

    private static string? FindPython27()
    {
        return FindPyenvInterpreter("2.7.", "python") ?? FindOnPath("python2.7");
    }

    private static string? FindPyenvInterpreter(string versionPrefix, string executable)
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (home is null)
            return null;
        var versions = Path.Combine(home, ".pyenv", "versions");
        if (!Directory.Exists(versions))
            return null;
        return Directory.GetDirectories(versions)
            .Where(d => Path.GetFileName(d).StartsWith(versionPrefix, StringComparison.Ordinal))
            .Select(d => Path.Combine(d, "bin", executable))
            .Where(File.Exists)
            .OrderDescending(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static Version? VersionOf(string python)
    {
        var output = RunAndRead(python, "-c \"import sys;print('%d.%d' % sys.version_info[:2])\"");
        return Version.TryParse(output, out var version) ? version : null;
    }

    private static string? FindStdlib()
    {
        if (Environment.GetEnvironmentVariable("PICKLEGUARD_STDLIB") is { } configured)
            return Directory.Exists(configured) ? configured : null;
        if (Python3 is not { } python)
            return null;
        var dir = RunAndRead(python, "-c \"import sysconfig;print(sysconfig.get_paths()['stdlib'])\"");
        return dir is not null && Directory.Exists(dir) ? dir : null;
    }

    /// <summary>Runs a short command and returns its trimmed standard output, or null on failure.</summary>
    public static string? RunAndRead(string fileName, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
                return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            Task.WaitAll(stdout, stderr);
            return process.ExitCode == 0 ? stdout.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
