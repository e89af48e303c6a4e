using PickleGuard.Cli.Discovery;
using PickleGuard.Core;

namespace PickleGuard.Cli.Tests;

public class DiscoveryTests
{
    private static List<string> Discover(TempDir dir, DiscoveryOptions? options = null, params string[] paths)
    {
        var errors = new List<InputError>();
        var files = FileDiscovery.Discover(paths.Length == 0 ? [dir.Root] : paths, options ?? new DiscoveryOptions(), errors);
        return [.. files.Select(f => Path.GetRelativePath(dir.Root, f.Path).Replace('\\', '/'))];
    }

    [Fact]
    public void FindsPythonByExtensionAndShebangAndSkipsKnownDirectories()
    {
        using var dir = new TempDir();
        dir.Write("a.py", "");
        dir.Write("b.pyw", "");
        dir.Write("c.pyi", "");
        dir.Write("nb.ipynb", "{}");
        dir.Write("script", "#!/usr/bin/env python3\nprint(1)\n");
        dir.Write("shell", "#!/bin/sh\necho\n");
        dir.Write("notes.txt", "");
        foreach (var skipped in new[] { ".git", ".hg", ".venv", "venv", "lib/site-packages", "node_modules", "__pycache__", "build", "dist" })
        {
            dir.Write(skipped + "/x.py", "");
        }
        Assert.Equal(["a.py", "b.pyw", "c.pyi", "nb.ipynb", "script"], Discover(dir));
    }

    [Fact]
    public void APackageNamedLikeBuildOutputIsScanned()
    {
        using var dir = new TempDir();
        dir.Write("mmengine/dist/__init__.py", "");
        dir.Write("mmengine/dist/dist.py", "import pickle\n");
        dir.Write("mmengine/build/__init__.py", "");
        dir.Write("build/lib/mmengine/dist/dist.py", "import pickle\n");
        dir.Write("dist/setup.py", "");
        Assert.Equal(["mmengine/build/__init__.py", "mmengine/dist/__init__.py", "mmengine/dist/dist.py"], Discover(dir));
    }

    [Fact]
    public void RecordsEachFilesSizeForTheScansMemoryEstimate()
    {
        using var dir = new TempDir();
        dir.Write("pkg/a.py", "import pickle\n");
        dir.Write("empty.py", "");
        var errors = new List<InputError>();

        var walked = FileDiscovery.Discover([dir.Root], new DiscoveryOptions(), errors);
        var named = FileDiscovery.Discover([dir.Path_("pkg/a.py")], new DiscoveryOptions(), errors);

        Assert.Equal([0L, 14L], walked.Select(f => f.Length));
        Assert.Equal(14L, Assert.Single(named).Length);
        Assert.Empty(errors);
    }

    [Fact]
    public void BrokenLinksAreSkippedAndOnlyOneNamedLikeASourceIsReported()
    {
        using var dir = new TempDir();
        dir.Write("pkg/a.py", "x = 1\n");
        File.CreateSymbolicLink(dir.Path_("pkg/csrc"), "../../missing");
        File.CreateSymbolicLink(dir.Path_("pkg/gone.py"), "missing.py");
        File.CreateSymbolicLink(dir.Path_("pkg/alias.py"), "a.py");
        var errors = new List<InputError>();
        var files = FileDiscovery.Discover([dir.Root], new DiscoveryOptions { IsArtifact = (_, _) => false }, errors);
        Assert.Equal(["pkg/a.py", "pkg/alias.py"], files.Select(f => Path.GetRelativePath(dir.Root, f.Path).Replace('\\', '/')).ToArray());
        var error = Assert.Single(errors);
        Assert.Equal(dir.Path_("pkg/gone.py"), error.Path);
        Assert.Equal("broken symbolic link (its target 'missing.py' does not exist)", error.Message);
    }

    [Fact]
    public void HonoursNestedGitIgnoreFiles()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path_(".git"));
        dir.Write(".gitignore", "generated/\n/top_only.py\n*.gen.py\nsecret*\n!secret_ok.py\nlogs/**/deep.py\n");
        dir.Write("generated/a.py", "");
        dir.Write("top_only.py", "");
        dir.Write("pkg/top_only.py", "");
        dir.Write("pkg/x.gen.py", "");
        dir.Write("secret_a.py", "");
        dir.Write("secret_ok.py", "");
        dir.Write("logs/a/b/deep.py", "");
        dir.Write("logs/shallow.py", "");
        dir.Write("pkg/.gitignore", "local.py\n!/x.gen.py\n");
        dir.Write("pkg/local.py", "");
        dir.Write("pkg/sub/local.py", "");
        dir.Write("local.py", "");
        dir.Write("pkg/keep.py", "");
        Assert.Equal(["local.py", "logs/shallow.py", "pkg/keep.py", "pkg/top_only.py", "pkg/x.gen.py", "secret_ok.py"], Discover(dir));
    }

    [Fact]
    public void CountsWhatGitIgnoreLeftOut()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "extensions/\nuser_data/\nlocal_*.py\n*.log\n");
        dir.Write("extensions/api/script.py", "");
        dir.Write("user_data/models/config.py", "");
        dir.Write("local_settings.py", "");
        dir.Write("server.log", "");
        dir.Write("server.py", "");
        var ignored = new GitIgnoredTally();
        FileDiscovery.Discover([dir.Root], new DiscoveryOptions(), [], ignored);
        Assert.Equal((2, 1), (ignored.Directories, ignored.SourceFiles));
        Assert.Equal("; .gitignore left out 2 directories and 1 Python file (name them on the command line to scan them)", ignored.Summary());
        Assert.Equal("", new GitIgnoredTally().Summary());
    }

    [Fact]
    public void TrailingDoubleStarIgnoresContentsSoANegationCanReincludeAFile()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "logs/**\n!logs/keep.py\nvendor/\n!vendor/inside.py\n");
        dir.Write("logs/drop.py", "");
        dir.Write("logs/deep/drop.py", "");
        dir.Write("logs/keep.py", "");
        dir.Write("vendor/inside.py", "");
        // vendor/ ignores the directory itself, so nothing inside can come back (as in git).
        Assert.Equal(["logs/keep.py"], Discover(dir));
    }

    [Fact]
    public void GitIgnoreOfTheRepositoryRootAppliesToASubdirectoryRoot()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path_(".git"));
        dir.Write(".gitignore", "ignored_*.py\n");
        dir.Write("src/ignored_a.py", "");
        dir.Write("src/b.py", "");
        Assert.Equal(["src/b.py"], Discover(dir, null, dir.Path_("src")));
    }

    [Fact]
    public void ExcludeAndIncludeGlobs()
    {
        using var dir = new TempDir();
        dir.Write("a.py", "");
        dir.Write("tests/test_a.py", "");
        dir.Write("pkg/fixtures/f.py", "");
        dir.Write("pkg/ext.pyx", "");
        var options = new DiscoveryOptions
        {
            Exclude = [new PathFilter("tests", dir.Root), new PathFilter("pkg/fixtures/", dir.Root)],
            Include = [new PathFilter("*.pyx", dir.Root)],
        };
        Assert.Equal(["a.py", "pkg/ext.pyx"], Discover(dir, options));
    }

    [Fact]
    public void ExplicitFilesAreAlwaysTaken()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path_(".git"));
        dir.Write(".gitignore", "*.py\n");
        var file = dir.Write("build/odd.txt", "x = 1\n");
        var options = new DiscoveryOptions { Exclude = [new PathFilter("build", dir.Root)] };
        Assert.Equal(["build/odd.txt"], Discover(dir, options, file));
    }

    [Fact]
    public void MissingPathIsAnError()
    {
        var errors = new List<InputError>();
        var files = FileDiscovery.Discover(["/nonexistent/pg/path.py"], new DiscoveryOptions(), errors);
        Assert.Empty(files);
        Assert.Equal("No such file or directory", Assert.Single(errors).Message);
    }

    [Fact]
    public void ArtifactsAreFoundOnlyWhenAsked()
    {
        using var dir = new TempDir();
        dir.WriteBytes("model.pkl", [0x80, 0x04, 0x4e, 0x2e]);
        dir.Write("a.py", "");
        Assert.Equal(["a.py"], Discover(dir));
        var options = new DiscoveryOptions { IsArtifact = (_, head) => head.Length > 1 && head.Span[0] == 0x80 };
        var errors = new List<InputError>();
        var files = FileDiscovery.Discover([dir.Root], options, errors);
        Assert.Equal([FileKind.Python, FileKind.Artifact], files.Select(f => f.Kind));
    }

    [Theory]
    [InlineData("#!/usr/bin/env python3\n", true)]
    [InlineData("#!/usr/bin/python2.7 -u\n", true)]
    [InlineData("#!/bin/bash\n# python\n", false)]
    [InlineData("import os\n", false)]
    public void Shebang(string head, bool expected) =>
        Assert.Equal(expected, FileDiscovery.HasPythonShebang(System.Text.Encoding.UTF8.GetBytes(head)));
}
