using PickleGuard.Core;

namespace PickleGuard.Cli.Discovery;

/// <summary>
/// Finds the files to scan under the given paths, the way Ruff does: Python by extension or shebang, skipping
/// virtual environments, build output and VCS folders, honouring .gitignore files and exclude globs. A file
/// named on the command line is always taken. The result is sorted, so output never depends on the file system.
/// </summary>
internal static class FileDiscovery
{
    private const int HeadLength = 64;

    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", ".venv", "venv", "site-packages", "node_modules", "__pycache__",
        ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "__pypackages__",
    };

    /// <summary>
    /// Build output, skipped unless the directory is itself a package: a build never writes an <c>__init__.py</c> at the
    /// top of <c>build/</c> or <c>dist/</c> (packages go below <c>build/lib/</c>), while a project may have a package of
    /// that name — mmengine's <c>mmengine/dist/</c>, its distributed-communication code, was left out of its scans.
    /// </summary>
    private static readonly HashSet<string> BuildOutputDirectories = new(StringComparer.Ordinal) { "build", "dist" };

    private static readonly HashSet<string> PythonExtensions = new(StringComparer.OrdinalIgnoreCase) { ".py", ".pyw", ".pyi" };

    /// <param name="ignored">Counts what .gitignore files left out of the walks, when given (the scan's summary says it).</param>
    public static IReadOnlyList<DiscoveredFile> Discover(IEnumerable<string> paths, DiscoveryOptions options, List<InputError> errors,
        GitIgnoredTally? ignored = null)
    {
        ignored ??= new GitIgnoredTally();
        var found = new Dictionary<string, DiscoveredFile>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                var kind = ClassifyExplicit(path, options);
                found.TryAdd(Path.GetFullPath(path), new DiscoveredFile(path, kind, LengthOf(new FileInfo(path))));
            }
            else if (Directory.Exists(path))
            {
                var onError = (string p, string message) => errors.Add(new InputError(p, message));
                var ignores = options.RespectGitIgnore ? GitIgnoreStack.ForRoot(Path.GetFullPath(path), onError) : GitIgnoreStack.Empty;
                Walk(path, ignores, options, found, errors, ignored, depth: 0);
            }
            else
            {
                errors.Add(new InputError(path, "No such file or directory"));
            }
        }
        return [.. found.Values.OrderBy(file => file.Path, StringComparer.Ordinal)];
    }

    private static void Walk(string directory, GitIgnoreStack ignores, DiscoveryOptions options,
        Dictionary<string, DiscoveredFile> found, List<InputError> errors, GitIgnoredTally ignored, int depth)
    {
        if (depth > 256)
        {
            errors.Add(new InputError(directory, "directory nesting deeper than 256 levels; not descending further"));
            return;
        }
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new InputError(directory, "cannot list directory: " + ex.Message));
            return;
        }
        foreach (var entry in entries)
        {
            var childPath = Path.Combine(directory, entry.Name);
            var fullPath = entry.FullName;
            if (entry is DirectoryInfo dir)
            {
                // Never follow directory links: they can loop and usually point outside the project.
                if (dir.LinkTarget is not null || SkippedDirectories.Contains(entry.Name) || IsBuildOutput(dir) || IsExcluded(fullPath, options))
                {
                    continue;
                }
                if (ignores.IsIgnored(fullPath, isDirectory: true))
                {
                    ignored.Directories++;
                    continue;
                }
                var childIgnores = options.RespectGitIgnore ? ignores.Enter(fullPath, (p, m) => errors.Add(new InputError(p, m))) : ignores;
                Walk(childPath, childIgnores, options, found, errors, ignored, depth + 1);
            }
            else if (entry.LinkTarget is { } target && IsBroken(entry))
            {
                // A broken link holds nothing to scan: only one named like a source is worth a word (a build's links into
                // a tree that is not there, DeepSpeed's `csrc`, are not).
                if (IsSourceName(entry.Name) && !ignores.IsIgnored(fullPath, isDirectory: false) && !IsExcluded(fullPath, options))
                {
                    errors.Add(new InputError(childPath, $"broken symbolic link (its target '{target}' does not exist)"));
                }
            }
            else if (IsExcluded(fullPath, options))
            {
                continue;
            }
            else if (ignores.IsIgnored(fullPath, isDirectory: false))
            {
                ignored.SourceFiles += IsSourceName(entry.Name) ? 1 : 0;
            }
            else if (Classify(childPath, options, errors) is { } kind)
            {
                found.TryAdd(fullPath, new DiscoveredFile(childPath, kind, LengthOf((FileInfo)entry)));
            }
        }
    }

    private static bool IsBuildOutput(DirectoryInfo dir) =>
        BuildOutputDirectories.Contains(dir.Name) && !File.Exists(Path.Combine(dir.FullName, "__init__.py"));

    private static long LengthOf(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static bool IsExcluded(string fullPath, DiscoveryOptions options)
    {
        foreach (var filter in options.Exclude)
        {
            if (filter.Matches(fullPath))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A link whose final target does not exist, or that loops (<see cref="FileSystemInfo.Exists"/> reports the link itself).</summary>
    private static bool IsBroken(FileSystemInfo link)
    {
        try
        {
            return link.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true };
        }
        catch (IOException)
        {
            return true; // too many levels of links
        }
    }

    private static bool IsSourceName(string name)
    {
        var extension = Path.GetExtension(name);
        return PythonExtensions.Contains(extension) || extension.Equals(".ipynb", StringComparison.OrdinalIgnoreCase);
    }

    private static FileKind? Classify(string path, DiscoveryOptions options, List<InputError> errors)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".ipynb", StringComparison.OrdinalIgnoreCase))
        {
            return FileKind.Notebook;
        }
        if (PythonExtensions.Contains(extension) || options.Include.Any(filter => filter.Matches(Path.GetFullPath(path))))
        {
            return FileKind.Python;
        }
        if (extension.Length > 0 && options.IsArtifact is null)
        {
            return null;
        }
        var head = ReadHead(path, errors);
        if (head is null)
        {
            return null;
        }
        if (extension.Length == 0 && HasPythonShebang(head.Value.Span))
        {
            return FileKind.Python;
        }
        return options.IsArtifact is { } isArtifact && isArtifact(path, head.Value) ? FileKind.Artifact : null;
    }

    private static FileKind ClassifyExplicit(string path, DiscoveryOptions options)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".ipynb", StringComparison.OrdinalIgnoreCase))
        {
            return FileKind.Notebook;
        }
        if (PythonExtensions.Contains(extension) || options.IsArtifact is null)
        {
            return FileKind.Python;
        }
        if (ReadHead(path, []) is not { } head)
        {
            return FileKind.Python;
        }
        if (options.IsArtifact(path, head))
        {
            return FileKind.Artifact;
        }
        // Named explicitly, so scanned by content: a pickle the head sniffer does not expect is still a pickle.
        return !HasPythonShebang(head.Span) && options.IsArtifactContent?.Invoke(path) == true ? FileKind.Artifact : FileKind.Python;
    }

    private static ReadOnlyMemory<byte>? ReadHead(string path, List<InputError> errors)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var buffer = new byte[HeadLength];
            var length = stream.ReadAtLeast(buffer, HeadLength, throwOnEndOfStream: false);
            return buffer.AsMemory(0, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new InputError(path, "cannot read file: " + ex.Message));
            return null;
        }
    }

    /// <summary><c>#!/usr/bin/env python3</c>, <c>#!/usr/bin/python</c> and the like.</summary>
    internal static bool HasPythonShebang(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith("#!"u8))
        {
            return false;
        }
        var end = head.IndexOf((byte)'\n');
        var line = end < 0 ? head : head[..end];
        return line.IndexOf("python"u8) >= 0;
    }
}
