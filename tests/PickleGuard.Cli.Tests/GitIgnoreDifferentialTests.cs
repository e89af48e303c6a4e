using System.Diagnostics;
using PickleGuard.Cli.Discovery;
using PickleGuard.Core;

namespace PickleGuard.Cli.Tests;

/// <summary>Our .gitignore matcher against git itself (<c>git ls-files --others --exclude-standard</c>) on one tree.</summary>
public class GitIgnoreDifferentialTests
{
    private static readonly string[] Files =
    [
        "a.py", "b_gen.py", "keep_gen.py", "x1.py", "xa.py", "xz.py", "top.py", "sub/top.py",
        "docs/conf.py", "docs/api/index.py", "data/raw/a.py", "data/raw/deep/b.py", "data/keep.py",
        "logs/a.py", "logs/keep.py", "logs/deep/b.py", "pkg/mod.py", "pkg/local.py", "pkg/sub/local.py",
        "pkg/sub/other.py", "pkg/vendored/x.py", "pkg/vendored/y.py", "tmp dir/space.py", "weird[1].py",
        "nested/a/b/c/target.py", "nested/a/target.py", "#hash.py", "!bang.py",
    ];

    private const string RootIgnore = """
        # comment
        *_gen.py
        !keep_gen.py
        x[0-9a-c].py
        /top.py
        docs/api/
        data/**/
        !data/keep.py
        logs/**
        !logs/keep.py
        nested/**/target.py
        tmp\ dir/
        weird\[1\].py
        \#hash.py
        \!bang.py
        """;

    private const string PkgIgnore = """
        local.py
        !/sub/local.py
        vendored/*
        !vendored/y.py
        """;

    [SkippableFact]
    public void AgreesWithGit()
    {
        var git = FindGit();
        Skip.If(git is null, "git not found on PATH");
        using var dir = new TempDir();
        foreach (var file in Files)
        {
            dir.Write(file, "");
        }
        dir.Write(".gitignore", RootIgnore);
        dir.Write("pkg/.gitignore", PkgIgnore);
        Run(git, dir.Root, "init", "-q");
        var expected = Run(git, dir.Root, "ls-files", "--others", "--exclude-standard", "-z")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".py", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Contains("keep_gen.py", expected);
        Assert.DoesNotContain("b_gen.py", expected);
        Assert.Contains("pkg/sub/local.py", expected);
        Assert.DoesNotContain("pkg/local.py", expected);

        var errors = new List<InputError>();
        var actual = FileDiscovery.Discover([dir.Root], new DiscoveryOptions(), errors)
            .Select(f => Path.GetRelativePath(dir.Root, f.Path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Empty(errors);
        Assert.Equal(expected, actual);
    }

    private static string? FindGit()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "git");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string Run(string git, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(git) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // Keep the user's global excludes file out of the comparison.
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}
