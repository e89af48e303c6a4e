using System.Text.RegularExpressions;

namespace PickleGuard.Analysis.Projects;

/// <summary>
/// Reads the lower bound of a package's version requirement as projects declare it: PEP 440 specifiers
/// (<c>&gt;=2.6</c>, <c>~=2.6.0</c>, <c>==2.7.1</c>, <c>==2.6.*</c>, <c>&gt;2.6</c>, comma-separated) and Poetry's
/// (<c>^2.6</c>, <c>~2.6</c>, a bare <c>2.6.0</c>). Only what every allowed version must satisfy counts: a requirement
/// without a lower bound (<c>&lt;3</c>, <c>!=2.5</c>, <c>*</c>, none) allows any old version.
/// </summary>
internal static partial class VersionRequirement
{
    /// <summary>Whether every version <paramref name="specifiers"/> allows is <paramref name="threshold"/> or later.</summary>
    public static bool AtLeast(string specifiers, Version threshold)
    {
        threshold = Normalized(threshold);
        foreach (var clause in specifiers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Clause().Match(clause);
            if (!match.Success)
            {
                continue;
            }
            var op = match.Groups["op"].Value;
            // `<`, `<=` and `!=` bound nothing from below.
            if (op is "<" or "<=" or "!=")
            {
                continue;
            }
            if (Release(match.Groups["version"].Value) is { } bound && (bound.Release > threshold || bound.Release == threshold && bound.Final))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The release numbers of a version (<c>2.6.0+cu124</c> → 2.6.0; a trailing <c>.*</c> is dropped), and whether it is a
    /// final release: <c>2.6.0rc1</c> comes before 2.6.0, so it does not reach a 2.6 threshold.
    /// </summary>
    private static (Version Release, bool Final)? Release(string version)
    {
        var local = version.IndexOf('+', StringComparison.Ordinal);
        var text = (local >= 0 ? version[..local] : version).TrimEnd('*').TrimEnd('.');
        var match = Numbers().Match(text);
        if (!match.Success)
        {
            return null;
        }
        var parts = match.Value.Split('.').Select(int.Parse).ToList();
        while (parts.Count < 2)
        {
            parts.Add(0);
        }
        var release = parts.Count switch
        {
            2 => new Version(parts[0], parts[1]),
            3 => new Version(parts[0], parts[1], parts[2]),
            _ => new Version(parts[0], parts[1], parts[2], parts[3]),
        };
        return (Normalized(release), match.Length == text.Length);
    }

    /// <summary>2.6 and 2.6.0 compare equal (<see cref="Version"/> alone orders 2.6 before 2.6.0).</summary>
    public static Version Normalized(Version version) =>
        new(version.Major, version.Minor, Math.Max(version.Build, 0), Math.Max(version.Revision, 0));

    [GeneratedRegex(@"^(?<op>===|==|~=|>=|<=|!=|>|<|\^|~)?\s*(?<version>[0-9][0-9A-Za-z.+*!-]*)$")]
    private static partial Regex Clause();

    [GeneratedRegex(@"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}")]
    private static partial Regex Numbers();
}
