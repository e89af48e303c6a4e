using PickleGuard.Analysis.Resolution;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Comparisons of a package's installed release, <c>P.__version__</c>, with a literal one, as version tests
/// (<see cref="VersionGates"/>), the installed release on either side:
/// <list type="bullet">
/// <item>as plain strings, which Python orders character by character: <c>torch.__version__ &gt;= "1.13"</c> (openai/whisper);</item>
/// <item>parsed as releases: <c>version.parse(torch.__version__) &gt;= version.parse("1.13")</c>, <c>Version(...)</c>,
/// <c>pkg_resources.parse_version</c>, <c>LooseVersion</c>;</item>
/// <item>as a tuple or list of its dot-separated numbers, all of them or the first n:
/// <c>tuple(map(int, torch.__version__.split(".")[:2])) &gt;= (1, 13)</c>, <c>tuple(int(x) for x in ...)</c>,
/// <c>[int(x) for x in ...] &gt;= [1, 13]</c>.</item>
/// </list>
/// Such a comparison is a gate when every release from the one that added the argument on takes the same side of it
/// (the newer side). Strings and truncated tuples do not order releases as release numbers do (<c>"1.10" &lt; "1.9"</c>:
/// <c>torch.__version__ &gt;= "1.9"</c> is false on torch 1.10 to 1.89), so this is checked on probe releases rather
/// than reasoned: majors from the added release's to 19 above it, every minor below 100, micros 0, 1, 9, 10 and 99.
/// A release beyond those (a minor of 100) is assumed not to exist.
/// </summary>
internal static class VersionComparisons
{
    private const int ProbedMajors = 20;

    private const int ProbedMinors = 100;

    private static readonly int[] ProbedMicros = [0, 1, 9, 10, 99];

    /// <summary>The functions that parse a release string into an object ordered as release numbers.</summary>
    private static readonly HashSet<string> Parsers = new(StringComparer.Ordinal)
    {
        "packaging.version.parse", "packaging.version.Version", "pkg_resources.parse_version",
        "distutils.version.LooseVersion", "distutils.version.StrictVersion", "looseversion.LooseVersion",
    };

    private enum Form
    {
        Text,
        Parsed,
        Tuple,
        List,
    }

    /// <summary>An installed release as the comparison sees it: its form, and for tuples and lists how many numbers are kept.</summary>
    private readonly record struct Installed(Form Form, int Kept);

    /// <summary>
    /// Which side of <paramref name="compare"/> holds only on releases older than <paramref name="addedIn"/> (as
    /// <see cref="VersionGates.OlderSide"/>): the opposite of the side every release from <paramref name="addedIn"/> on
    /// takes; null when they do not all take one side, or the comparison is not one of the forms above.
    /// </summary>
    public static bool? OlderSide(CompareExpr compare, PackageRelease addedIn, ValueResolver resolver, EvalContext context)
    {
        if (compare is not { Ops: [var op], Comparators: [var right] })
        {
            return null;
        }
        if (InstalledRelease(compare.Left, addedIn.Package, resolver, context) is { } leftInstalled)
        {
            return OlderSide(leftInstalled, op, right, addedIn.Version, resolver, context);
        }
        if (InstalledRelease(right, addedIn.Package, resolver, context) is { } rightInstalled)
        {
            return OlderSide(rightInstalled, Mirrored(op), compare.Left, addedIn.Version, resolver, context);
        }
        return null;
    }

    private static bool? OlderSide(Installed installed, CompareOperator op, Expr literal, Version added, ValueResolver resolver, EvalContext context)
    {
        if (op is not (CompareOperator.Lt or CompareOperator.LtE or CompareOperator.Gt or CompareOperator.GtE or CompareOperator.Eq or CompareOperator.NotEq))
        {
            return null;
        }
        switch (installed.Form)
        {
            case Form.Text when literal is ConstantExpr { Value.AsString: { } text }:
                return OlderSide(op, added, (release, _) => release.SequenceCompareTo(text));
            case Form.Parsed when ParsedLiteral(literal, resolver, context) is { } parsed:
                int[] padded = [parsed.Major, parsed.Minor, parsed.Build, parsed.Revision];
                return OlderSide(op, added, (_, numbers) => CompareNumbers(numbers, padded));
            case Form.Tuple or Form.List:
                var elements = (installed.Form, literal) switch
                {
                    (Form.Tuple, TupleExpr tuple) => tuple.Elts,
                    (Form.List, ListExpr list) => list.Elts,
                    _ => null,
                };
                return elements is not null && Numbers(elements) is { } literalNumbers
                    ? OlderSide(op, added, (_, numbers) => CompareNumbers(numbers[..installed.Kept], literalNumbers))
                    : null;
            default:
                return null;
        }
    }

    /// <summary>Compares a probe release, as its text <c>M.m.p</c> and as its numbers (a zero after them), with the literal.</summary>
    private delegate int ProbeComparison(ReadOnlySpan<char> text, ReadOnlySpan<int> numbers);

    /// <summary>Runs the comparison on every probe release from <paramref name="added"/> on: the older side is the opposite of theirs, when they agree.</summary>
    private static bool? OlderSide(CompareOperator op, Version added, ProbeComparison compare)
    {
        Span<char> text = stackalloc char[32];
        Span<int> numbers = stackalloc int[4];
        bool? newer = null;
        for (var major = added.Major; major < added.Major + ProbedMajors; major++)
        {
            for (var minor = 0; minor < ProbedMinors; minor++)
            {
                foreach (var micro in ProbedMicros)
                {
                    if ((major, minor, micro).CompareTo((added.Major, Math.Max(added.Minor, 0), Math.Max(added.Build, 0))) < 0)
                    {
                        continue;
                    }
                    text.TryWrite(System.Globalization.CultureInfo.InvariantCulture, $"{major}.{minor}.{micro}", out var length);
                    (numbers[0], numbers[1], numbers[2]) = (major, minor, micro);
                    var holds = Holds(op, compare(text[..length], numbers));
                    if (newer is { } side && side != holds)
                    {
                        return null;
                    }
                    newer = holds;
                }
            }
        }
        return !newer;
    }

    private static bool Holds(CompareOperator op, int comparison) => op switch
    {
        CompareOperator.Lt => comparison < 0,
        CompareOperator.LtE => comparison <= 0,
        CompareOperator.Gt => comparison > 0,
        CompareOperator.GtE => comparison >= 0,
        CompareOperator.Eq => comparison == 0,
        _ => comparison != 0,
    };

    /// <summary><c>a &lt; b</c> is <c>b &gt; a</c>.</summary>
    private static CompareOperator Mirrored(CompareOperator op) => op switch
    {
        CompareOperator.Lt => CompareOperator.Gt,
        CompareOperator.LtE => CompareOperator.GtE,
        CompareOperator.Gt => CompareOperator.Lt,
        CompareOperator.GtE => CompareOperator.LtE,
        _ => op,
    };

    /// <summary>Python's order of sequences of numbers: the first difference decides, else the shorter is less.</summary>
    private static int CompareNumbers(ReadOnlySpan<int> installed, ReadOnlySpan<int> literal)
    {
        for (var i = 0; i < Math.Min(installed.Length, literal.Length); i++)
        {
            if (installed[i] != literal[i])
            {
                return installed[i].CompareTo(literal[i]);
            }
        }
        return installed.Length.CompareTo(literal.Length);
    }

    /// <summary>The numbers of a literal tuple or list of small non-negative integers, else null.</summary>
    private static int[]? Numbers(IReadOnlyList<Expr> elements)
    {
        var numbers = new int[elements.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            if (elements[i] is not ConstantExpr { Value: { Type: ConstantType.Int, AsInteger: var number } } || number < 0 || number > int.MaxValue)
            {
                return null;
            }
            numbers[i] = (int)number;
        }
        return numbers;
    }

    /// <summary><paramref name="expr"/> as a form of the installed release of <paramref name="package"/>, else null.</summary>
    private static Installed? InstalledRelease(Expr expr, string package, ValueResolver resolver, EvalContext context)
    {
        if (IsVersionString(expr, package, resolver, context))
        {
            return new Installed(Form.Text, 0);
        }
        switch (expr)
        {
            case CallExpr { Args: [var parsed], Keywords: [] } call when Calls(call, resolver, context, Parsers.Contains)
                && IsVersionString(parsed, package, resolver, context):
                return new Installed(Form.Parsed, 0);
            case CallExpr { Args: [var made], Keywords: [] } call when Calls(call, resolver, context, path => path == "builtins.tuple")
                && SplitNumbers(made, package, resolver, context) is { } kept:
                return new Installed(Form.Tuple, kept);
            case CallExpr { Args: [var made], Keywords: [] } call when Calls(call, resolver, context, path => path == "builtins.list")
                && SplitNumbers(made, package, resolver, context) is { } kept:
                return new Installed(Form.List, kept);
            case ListCompExpr listed when SplitNumbers(listed.Elt, listed.Generators, package, resolver, context) is { } kept:
                return new Installed(Form.List, kept);
            default:
                return null;
        }
    }

    /// <summary>
    /// How many numbers of the installed release <c>map(int, V.split(".")[:n])</c> or <c>(int(x) for x in V.split(".")[:n])</c>
    /// yields (n; three, <c>M.m.p</c>, without the slice); null for anything else.
    /// </summary>
    private static int? SplitNumbers(Expr expr, string package, ValueResolver resolver, EvalContext context) => expr switch
    {
        CallExpr { Args: [var converter, var split], Keywords: [] } call when Calls(call, resolver, context, path => path == "builtins.map")
            && IsInt(converter, resolver, context) => SplitParts(split, package, resolver, context),
        GeneratorExpr generated => SplitNumbers(generated.Elt, generated.Generators, package, resolver, context),
        _ => null,
    };

    private static int? SplitNumbers(Expr element, IReadOnlyList<Comprehension> generators, string package, ValueResolver resolver, EvalContext context) =>
        generators is [{ Target: NameExpr part, Ifs: [], IsAsync: false } generator]
        && element is CallExpr { Func: var converter, Args: [NameExpr { Id: var converted }], Keywords: [] }
        && converted == part.Id && IsInt(converter, resolver, context)
            ? SplitParts(generator.Iter, package, resolver, context)
            : null;

    /// <summary><c>V.split(".")</c> (three parts) or <c>V.split(".")[:n]</c> (n parts) of the installed release string.</summary>
    private static int? SplitParts(Expr expr, string package, ValueResolver resolver, EvalContext context)
    {
        var kept = 3;
        if (expr is SubscriptExpr { Value: var sliced, Slice: SliceExpr { Lower: null or ConstantExpr { Value: { Type: ConstantType.Int, AsInteger.IsZero: true } }, Upper: ConstantExpr { Value: { Type: ConstantType.Int, AsInteger: var upper } }, Step: null } })
        {
            if (upper < 1 || upper > 3)
            {
                return null;
            }
            kept = (int)upper;
            expr = sliced;
        }
        return expr is CallExpr { Func: AttributeExpr { Attr: "split", Value: var split }, Args: [ConstantExpr { Value.AsString: "." }], Keywords: [] }
            && IsVersionString(split, package, resolver, context)
            ? kept
            : null;
    }

    /// <summary><c>P.__version__</c> of the package <paramref name="package"/>.</summary>
    private static bool IsVersionString(Expr expr, string package, ValueResolver resolver, EvalContext context) =>
        expr is AttributeExpr { Attr: "__version__" }
        && resolver.Resolve(expr, context) is { Count: > 0 } values
        && values.All(v => v is ApiValue { Path: var path } && path == package + ".__version__");

    private static bool IsInt(Expr expr, ValueResolver resolver, EvalContext context) =>
        resolver.Resolve(expr, context) is [ApiValue { Path: "builtins.int" }];

    private static bool Calls(CallExpr call, ValueResolver resolver, EvalContext context, Func<string, bool> api) =>
        resolver.Resolve(call.Func, context) is { Count: > 0 } callees && callees.All(v => v is ApiValue { Path: var path } && api(path));

    /// <summary>A literal release parsed by one of <see cref="Parsers"/>: <c>version.parse("1.13")</c>.</summary>
    private static Version? ParsedLiteral(Expr expr, ValueResolver resolver, EvalContext context) =>
        expr is CallExpr { Args: [ConstantExpr { Value.AsString: { } text }], Keywords: [] } call && Calls(call, resolver, context, Parsers.Contains)
            ? VersionGates.Release(text)
            : null;
}
