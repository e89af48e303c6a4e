namespace PickleGuard.Cli.Tests;

/// <summary>
/// design.md: PickleGuard never executes, imports or loads what it scans. The product code must not start
/// processes (no Python at run time) or load code dynamically; a change that adds either fails here.
/// </summary>
public sealed class NeverExecutesTests
{
    private static readonly string[] Forbidden =
    [
        "Process.Start", "ProcessStartInfo", "Assembly.Load", "AssemblyLoadContext", "Activator.CreateInstance",
        "Marshal.GetDelegateForFunctionPointer",
    ];

    [SkippableFact]
    public void ProductSourcesNeitherStartProcessesNorLoadCode()
    {
        var root = CliRunner.RepositoryRoot();
        Skip.If(root is null, "not run from a checkout");

        var sources = Directory.EnumerateFiles(Path.Combine(root!, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(sources.Count > 100, $"expected the product sources under src/, found {sources.Count} files");

        var offenders = sources
            .SelectMany(path => Forbidden.Where(File.ReadAllText(path).Contains).Select(api => $"{Path.GetRelativePath(root!, path)}: {api}"))
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }
}
