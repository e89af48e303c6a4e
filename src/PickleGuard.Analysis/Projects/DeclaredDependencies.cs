using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace PickleGuard.Analysis.Projects;

/// <summary>
/// The package versions a scanned file's project declares: its dependencies in <c>pyproject.toml</c>
/// (<c>[project] dependencies</c>, <c>[tool.poetry.dependencies]</c>), <c>setup.py</c> (<c>install_requires</c>, read
/// from the syntax tree) and <c>requirements*.txt</c>; never optional ones (extras, development groups). A file belongs to
/// the nearest directory above it holding one of those files (the search stops at a <c>.git</c> directory), unless that
/// directory is a package importable from an outer project's tree (<see cref="OuterProject"/>). Used where
/// a library changed an unsafe default (<c>torch.load</c>'s <c>weights_only</c> is True since torch 2.6): a project
/// that requires that version or later gets the safe default. Files that cannot be read or parsed declare nothing.
/// Thread-safe; each directory is read once.
/// </summary>
public sealed partial class DeclaredDependencies
{
    private readonly ConcurrentDictionary<string, Lazy<ProjectDeclarations?>> _byDirectory = new(StringComparer.Ordinal);

    /// <summary>No project declares anything (in-memory scans).</summary>
    public static DeclaredDependencies None { get; } = new(enabled: false);

    private readonly bool _enabled;

    private DeclaredDependencies(bool enabled) => _enabled = enabled;

    /// <summary>Declarations read from the file system, next to the scanned files.</summary>
    public static DeclaredDependencies FromFileSystem() => new(enabled: true);

    /// <summary>
    /// Where the project of <paramref name="sourcePath"/> requires <paramref name="package"/> at
    /// <paramref name="version"/> or later in every declaration of it (e.g. <c>pyproject.toml: torch&gt;=2.6</c>);
    /// null when it does not declare the package, or some declaration allows an older version.
    /// </summary>
    public string? RequiresAtLeast(string sourcePath, string package, Version version)
    {
        if (!_enabled || ProjectOf(sourcePath) is not { } project
            || !project.Requirements.TryGetValue(NormalizedName(package), out var requirements))
        {
            return null;
        }
        foreach (var (_, specifiers) in requirements)
        {
            if (!VersionRequirement.AtLeast(specifiers, version))
            {
                return null;
            }
        }
        return string.Join("; ", requirements.Select(r => $"{r.File}: {package}{r.Specifiers}").Distinct(StringComparer.Ordinal));
    }

    private ProjectDeclarations? ProjectOf(string sourcePath)
    {
        string? directory;
        try
        {
            directory = Path.GetDirectoryName(Path.GetFullPath(sourcePath));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
        return ProjectFrom(directory);
    }

    /// <summary>The declarations of the nearest directory from <paramref name="directory"/> up that has some (<see cref="ProjectOf"/>).</summary>
    private ProjectDeclarations? ProjectFrom(string? directory)
    {
        for (; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var found = _byDirectory.GetOrAdd(directory, dir => new Lazy<ProjectDeclarations?>(() => Read(dir))).Value;
            if (found is not null)
            {
                return OuterProject(directory) ?? found;
            }
            if (IsRepositoryRoot(directory))
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// For a declaring directory that is a package (it has an <c>__init__.py</c>), the declarations of the project whose
    /// import tree it is part of: the nearest declaring directory from its import root up — the first directory above it
    /// without an <c>__init__.py</c>, where the enclosing top-level package sits. InvokeAI vendors gen-efficientnet with
    /// its own <c>requirements.txt</c> (<c>torch&gt;=1.2</c>) as a subpackage of <c>invokeai</c>: imported so, the code
    /// runs under InvokeAI's torch, not one installed for the copy. Null (the directory's own declarations decide) when
    /// it is no package — a monorepo's independent project (<c>packages/foo/pyproject.toml</c>, <c>tools/requirements.txt</c>
    /// beside scripts) keeps its own, more conservative when looser — or when no outer project declares anything.
    /// </summary>
    private ProjectDeclarations? OuterProject(string directory)
    {
        if (!File.Exists(Path.Combine(directory, "__init__.py")))
        {
            return null;
        }
        var root = directory;
        while (File.Exists(Path.Combine(root, "__init__.py")) && !IsRepositoryRoot(root))
        {
            if (Path.GetDirectoryName(root) is not { } parent)
            {
                return null;
            }
            root = parent;
        }
        return root == directory ? null : ProjectFrom(root); // a package at the repository's root has no outer project
    }

    private static bool IsRepositoryRoot(string directory) => Directory.Exists(Path.Combine(directory, ".git"));

    /// <summary>The declarations in <paramref name="directory"/>, or null when it holds no declaration file.</summary>
    private static ProjectDeclarations? Read(string directory)
    {
        string[] files;
        try
        {
            files = [.. Directory.EnumerateFiles(directory)
                .Where(f => Path.GetFileName(f) is var name && (name is "pyproject.toml" or "setup.py" || name.StartsWith("requirements", StringComparison.Ordinal) && name.EndsWith(".txt", StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (files.Length == 0)
        {
            return null;
        }
        var project = new ProjectDeclarations();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var name = Path.GetFileName(file);
            var declared = name switch
            {
                "pyproject.toml" => PyProjectRequirements(text),
                "setup.py" => SetupPyRequirements(text),
                _ => RequirementLines(text),
            };
            foreach (var (package, specifiers) in declared)
            {
                project.Add(NormalizedName(package), name, specifiers);
            }
        }
        return project;
    }

    /// <summary>PEP 508 lines of a requirements file: <c>torch&gt;=2.6 ; python_version &gt;= "3.9"  # comment</c>; options and includes are skipped.</summary>
    internal static IEnumerable<(string Package, string Specifiers)> RequirementLines(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split(" #")[0].Trim();
            if (line.Length == 0 || line[0] is '#' or '-' || line.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }
            if (Requirement(line) is { } requirement)
            {
                yield return requirement;
            }
        }
    }

    /// <summary>One PEP 508 requirement without its markers: the name and the specifiers (extras dropped).</summary>
    internal static (string Package, string Specifiers)? Requirement(string text)
    {
        var match = Pep508().Match(text.Split(';')[0].Trim());
        return match.Success ? (match.Groups["name"].Value, match.Groups["specifiers"].Value.Replace(" ", "", StringComparison.Ordinal).Trim('(', ')')) : null;
    }

    /// <summary>The main dependencies of a pyproject.toml: PEP 621's <c>[project] dependencies</c> and Poetry's.</summary>
    internal static IEnumerable<(string Package, string Specifiers)> PyProjectRequirements(string text)
    {
        var document = SyntaxParser.Parse(text, "pyproject.toml", true);
        if (document.HasErrors)
        {
            yield break;
        }
        foreach (var table in document.Tables)
        {
            var name = table.Name?.ToString().Trim();
            foreach (var item in table.Items)
            {
                if (item is not { Key: { } key, Value: { } value })
                {
                    continue;
                }
                var keyName = key.ToString().Trim().Trim('"');
                if (name == "project" && keyName == "dependencies" && value is ArraySyntax array)
                {
                    foreach (var element in array.Items)
                    {
                        if (element.Value is StringValueSyntax { Value: { } requirement } && Requirement(requirement) is { } parsed)
                        {
                            yield return parsed;
                        }
                    }
                }
                else if (name == "tool.poetry.dependencies" && PoetryVersion(value) is { } version)
                {
                    yield return (keyName, version);
                }
            }
        }
    }

    /// <summary>Poetry's <c>torch = "^2.6"</c> or <c>torch = { version = "^2.6", ... }</c>.</summary>
    private static string? PoetryVersion(ValueSyntax value) => value switch
    {
        StringValueSyntax { Value: { } text } => text,
        InlineTableSyntax table => table.Items.Select(i => i.KeyValue)
            .FirstOrDefault(kv => kv?.Key?.ToString().Trim() == "version")?.Value is StringValueSyntax { Value: { } version } ? version : "",
        _ => null,
    };

    /// <summary>PEP 503 normalisation: <c>Torch_Vision</c> and <c>torch.vision</c> are <c>torch-vision</c>.</summary>
    private static string NormalizedName(string package) => Separators().Replace(package.ToLowerInvariant(), "-");

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?<specifiers>.*)$")]
    private static partial Regex Pep508();

    [GeneratedRegex(@"[-_.]+")]
    private static partial Regex Separators();

    /// <summary>One directory's declarations: per package, each declaring file with its specifiers.</summary>
    private sealed class ProjectDeclarations
    {
        public Dictionary<string, List<(string File, string Specifiers)>> Requirements { get; } = new(StringComparer.Ordinal);

        public void Add(string package, string file, string specifiers) =>
            (Requirements.TryGetValue(package, out var list) ? list : Requirements[package] = []).Add((file, specifiers));
    }
}
