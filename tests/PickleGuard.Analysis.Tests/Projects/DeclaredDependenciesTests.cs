using PickleGuard.Analysis.Projects;

namespace PickleGuard.Analysis.Tests.Projects;

public sealed class DeclaredDependenciesTests
{
    private static readonly Version Torch26 = new(2, 6);

    [Theory]
    [InlineData(">=2.6", true)]
    [InlineData(">=2.6.0,<3", true)]
    [InlineData("<3,>=2.6.1", true)]
    [InlineData("==2.7.1", true)]
    [InlineData("==2.6.*", true)]
    [InlineData("~=2.6", true)]
    [InlineData("===2.6.0", true)]
    [InlineData(">2.6", true)]
    [InlineData("^2.7", true)] // Poetry
    [InlineData("~2.6", true)]
    [InlineData("2.6.0", true)] // a bare Poetry version is exact
    [InlineData("==2.6.0+cu124", true)]
    [InlineData(">=2.5", false)]
    [InlineData(">2.5.9", false)] // 2.5.10 is allowed
    [InlineData(">=2.6.0rc1", false)] // a pre-release comes before 2.6.0
    [InlineData("<3", false)]
    [InlineData("!=2.5.0", false)]
    [InlineData("*", false)]
    [InlineData("", false)]
    [InlineData(">=1.13", false)]
    public void Lower_bounds_are_read_from_PEP_440_and_Poetry_specifiers(string specifiers, bool atLeast) =>
        Assert.Equal(atLeast, VersionRequirement.AtLeast(specifiers, Torch26));

    [Fact]
    public void Requirement_lines_skip_options_urls_and_comments_and_drop_extras_and_markers()
    {
        var text = "# pinned\n-r base.txt\n--index-url https://x\ntorch[cuda] >= 2.6 ; python_version >= '3.9'  # gpu\n"
            + "git+https://github.com/a/b.git\nNumPy\n\n  requests (>=2.0)\n";
        Assert.Equal([("torch", ">=2.6"), ("NumPy", ""), ("requests", ">=2.0")], DeclaredDependencies.RequirementLines(text).ToArray());
    }

    [Fact]
    public void Pyproject_main_dependencies_count_and_optional_or_development_ones_do_not()
    {
        const string Text = """
            [project]
            dependencies = ["torch>=2.6", "numpy"]
            [project.optional-dependencies]
            old = ["torch==1.0"]
            [tool.poetry.dependencies]
            safetensors = { version = "^0.4", optional = true }
            pandas = "^2.2"
            [tool.poetry.group.dev.dependencies]
            torch = "1.13"
            """;
        Assert.Equal([("torch", ">=2.6"), ("numpy", ""), ("safetensors", "^0.4"), ("pandas", "^2.2")],
            DeclaredDependencies.PyProjectRequirements(Text).ToArray());
        Assert.Empty(DeclaredDependencies.PyProjectRequirements("[project\nbroken"));
    }

    [Fact]
    public void Setup_py_install_requires_counts_when_a_literal_list_and_extras_do_not()
    {
        const string Literal = "from setuptools import setup\nsetup(name='p', install_requires=['torch>=2.6', 'numpy'], extras_require={'old': ['torch==1.0']})\n";
        Assert.Equal([("torch", ">=2.6"), ("numpy", "")], DeclaredDependencies.SetupPyRequirements(Literal).ToArray());
        const string Variable = "import setuptools\nREQUIRED = ('torch>=2.6', 'pkg @ https://x/pkg.zip')\n"
            + "if __name__ == '__main__':\n    setuptools.setup(install_requires=REQUIRED)\n";
        Assert.Equal([("torch", ">=2.6")], DeclaredDependencies.SetupPyRequirements(Variable).ToArray());
        foreach (var unread in new[]
        {
            "from setuptools import setup\nsetup(install_requires=deps_list('torch'))\n", // diffusers' `_deps` table
            "from setuptools import setup\nsetup(install_requires=['torch>=2.6', TORCH])\n", // an element not seen
            "from setuptools import setup\nREQUIRED = ['torch>=2.6']\nREQUIRED.append('torch<2')\nsetup(install_requires=REQUIRED)\n",
            "from setuptools import setup\nREQUIRED = ['torch>=2.6']\nif OLD:\n    REQUIRED = ['torch']\nsetup(install_requires=REQUIRED)\n",
            "from setuptools import setup\nsetup(extras_require={'torch': ['torch>=2.6']})\n",
            "from setuptools import setup\nsetup(install_requires=['torch>=2.6'\n", // does not parse
        })
        {
            Assert.Empty(DeclaredDependencies.SetupPyRequirements(unread));
        }
    }

    [Fact]
    public void A_file_belongs_to_the_nearest_declaring_directory_and_every_declaration_there_must_qualify()
    {
        var root = Directory.CreateTempSubdirectory("pg-deps-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "pyproject.toml"), "[project]\ndependencies = [\"Torch>=2.6\"]\n");
            File.WriteAllText(Path.Combine(root, "requirements.txt"), "torch==2.7.0\n");
            var inner = Directory.CreateDirectory(Path.Combine(root, "src", "pkg")).FullName;
            var legacy = Directory.CreateDirectory(Path.Combine(root, "legacy")).FullName;
            File.WriteAllText(Path.Combine(legacy, "requirements-dev.txt"), "torch\n");
            var dependencies = DeclaredDependencies.FromFileSystem();

            Assert.Equal("pyproject.toml: torch>=2.6; requirements.txt: torch==2.7.0",
                dependencies.RequiresAtLeast(Path.Combine(inner, "m.py"), "torch", Torch26));
            Assert.Null(dependencies.RequiresAtLeast(Path.Combine(legacy, "m.py"), "torch", Torch26)); // unversioned there
            Assert.Null(dependencies.RequiresAtLeast(Path.Combine(inner, "m.py"), "numpy", Torch26)); // not declared
            Assert.Null(DeclaredDependencies.None.RequiresAtLeast(Path.Combine(inner, "m.py"), "torch", Torch26));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
