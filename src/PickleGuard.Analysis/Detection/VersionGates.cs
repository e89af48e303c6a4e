using PickleGuard.Analysis.Resolution;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Tests of a library's installed version that keep code using an argument away from the releases without it:
/// <c>is_torch_version("&gt;=", "1.13")</c>, the helper accelerate and diffusers define (and <c>not</c> of it,
/// <c>is_torch_version("&lt;", "1.13")</c>). Any function named <c>is_&lt;package&gt;_version</c>, the project's or a
/// library's, called with a literal comparison operator and a literal release; or a comparison of the installed release
/// <c>torch.__version__</c> with a literal one, as a string, parsed, or as numbers (<see cref="VersionComparisons"/>).
/// </summary>
internal static class VersionGates
{
    /// <summary>
    /// Which side of <paramref name="test"/> holds only on releases of the package older than <paramref name="addedIn"/>:
    /// false when the test is false only there (<c>is_torch_version("&gt;=", "1.13")</c>), true when it is true only
    /// there (<c>is_torch_version("&lt;", "1.13")</c>); null when neither side is so bounded, or the test is no such test.
    /// </summary>
    public static bool? OlderSide(Expr test, PackageRelease addedIn, ValueResolver resolver, EvalContext context)
    {
        if (test is UnaryOpExpr { Op: UnaryOperator.Not, Operand: var operand })
        {
            return !OlderSide(operand, addedIn, resolver, context);
        }
        if (test is CompareExpr compare)
        {
            return VersionComparisons.OlderSide(compare, addedIn, resolver, context);
        }
        if (test is not CallExpr { Args: [ConstantExpr { Value.Type: ConstantType.Str } op, ConstantExpr { Value.Type: ConstantType.Str } release], Keywords: [] } call
            || Release(release.Value.AsString!) is not { } version || !IsVersionTest(call, addedIn.Package, resolver, context))
        {
            return null;
        }
        var added = Padded(addedIn.Version);
        // The side where the installed release is below `version` (or at most `version`) is older than `addedIn`.
        return op.Value.AsString switch
        {
            ">=" when version <= added => false,
            ">" when version < added => false,
            "<" when version <= added => true,
            "<=" when version < added => true,
            _ => null,
        };
    }

    /// <summary>Whether the callee is a function named <c>is_&lt;package&gt;_version</c> (a project function, or a library's by its qualified name).</summary>
    private static bool IsVersionTest(CallExpr call, string package, ValueResolver resolver, EvalContext context)
    {
        var name = $"is_{package}_version";
        var callees = resolver.Resolve(call.Func, context);
        return callees.Count > 0 && callees.All(v => v switch
        {
            FunctionValue { Function.Name: var function, BoundTo: null } => function == name,
            ApiValue { Path: var path } => path.EndsWith("." + name, StringComparison.Ordinal),
            _ => false,
        });
    }

    /// <summary>A release number written <c>"1.13"</c>, <c>"1.13.0"</c> or <c>"2"</c>; null for anything else (<c>"1.13.0a0"</c>).</summary>
    internal static Version? Release(string text) =>
        Version.TryParse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0", out var version) ? Padded(version) : null;

    /// <summary>1.13 as 1.13.0.0: <see cref="Version"/> puts 1.13 below 1.13.0, which Python's releases do not.</summary>
    private static Version Padded(Version version) =>
        new(version.Major, version.Minor, Math.Max(version.Build, 0), Math.Max(version.Revision, 0));
}
