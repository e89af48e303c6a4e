using PickleGuard.Analysis.Detection;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>What a call must give a <see cref="SafeFlag"/> for the sink it guards to be safe, or never to run.</summary>
internal enum SafeFlagTest : byte
{
    /// <summary>A literal the sink's safe-when condition accepts: the flag is the sink's own argument (<c>torch.load(f, weights_only=weights_only)</c>).</summary>
    SafeWhen,

    /// <summary>A true literal: the sink runs only while the flag is false (<c>if not weights_only: torch.load(f)</c>).</summary>
    WhenTrue,

    /// <summary>A false literal (<c>False</c>, <c>None</c>, <c>0</c>, <c>""</c>): the sink runs only while the flag is true (<c>if not allow: raise</c> before it).</summary>
    WhenFalse,

    /// <summary>
    /// A file object (<c>open(...)</c>, <c>io.BytesIO(...)</c>, a socket's <c>makefile()</c>): the sink runs only while
    /// the flag is none, a path (<c>if hasattr(f, "read"): ... else: open(f)</c>; FunctionAnalyzer.FileTests.cs).
    /// </summary>
    NoFileObject,
}

/// <summary>
/// A parameter of a function that decides whether a sink the function reaches is safe or runs at all — the sink's
/// safe-when argument or a branch test in the function the sink is written in, or a parameter a wrapper hands on to
/// one of those (<c>weights_only=weights_only</c>). <see cref="Keyword"/>, when set, is a keyword of the function's own
/// <c>**kwargs</c> (<see cref="Parameter"/>) passed on unchanged to the sink. <see cref="Relays"/> counts the wrappers
/// that handed the flag on, 0 in the function the sink is written in.
/// </summary>
internal readonly record struct SafeFlag(int Parameter, SafeFlagTest Test, int Relays, string? Keyword = null)
{
    /// <summary>Wrappers above the sink's own function a flag is followed through (timm hands <c>weights_only</c> through one, transformers through two).</summary>
    public const int MaxRelays = 4;

    /// <summary>Conditional expressions nested deeper than this in a given value are not read.</summary>
    private const int MaxConditionalDepth = 8;

    /// <summary>
    /// Whether a call giving the flag <paramref name="given"/> (null: unknown) makes <paramref name="sink"/> safe or
    /// unreachable: a literal that does, or a conditional expression each of whose arms does (dvc's
    /// <c>typ="rt" if round_trip else "safe"</c>); for <see cref="SafeFlagTest.NoFileObject"/>, a value
    /// <paramref name="isFileObject"/> (the caller's, which knows the names at the call) says is a file object.
    /// </summary>
    public bool MakesSafe(SinkKey sink, Expr? given, Func<Expr, bool>? isFileObject = null) => MakesSafe(sink, given, isFileObject, 0);

    private bool MakesSafe(SinkKey sink, Expr? given, Func<Expr, bool>? isFileObject, int depth) => given switch
    {
        IfExpr either => depth < MaxConditionalDepth && MakesSafe(sink, either.Body, isFileObject, depth + 1)
            && MakesSafe(sink, either.Orelse, isFileObject, depth + 1),
        not null when Test == SafeFlagTest.NoFileObject => isFileObject is not null && isFileObject(given),
        ConstantExpr literal => LiteralMakesSafe(sink, literal),
        _ => false,
    };

    private bool LiteralMakesSafe(SinkKey sink, ConstantExpr literal) => Test switch
    {
        SafeFlagTest.SafeWhen => sink.Model.SafeWhen!.Values.Any(v => SinkDetector.Matches(v, literal)),
        SafeFlagTest.WhenTrue => IsTrue(literal),
        _ => IsFalse(literal),
    };

    /// <summary>When the sink runs, said with the flag's name in <paramref name="unit"/> (the function whose summary holds it).</summary>
    public string Describe(TaintUnit unit)
    {
        var name = Keyword ?? unit.Parameters[Parameter].ArgValue;
        var where = $"'{name}' of '{unit.Name}'";
        return Test switch
        {
            SafeFlagTest.WhenFalse => $"only when {where} is true",
            SafeFlagTest.WhenTrue => $"only when {where} is false",
            _ => $"only when {where} is given something else than its safe default",
        };
    }

    /// <summary>The same parameter and test, whatever the number of wrappers the flag came through.</summary>
    public bool SameGuard(SafeFlag other) => Parameter == other.Parameter && Test == other.Test && Keyword == other.Keyword;

    private static bool IsFalse(ConstantExpr constant) => constant.Value.Type switch
    {
        ConstantType.False or ConstantType.None => true,
        ConstantType.Int => constant.Value.AsInteger.IsZero,
        ConstantType.Str => constant.Value.AsString is "",
        _ => false,
    };

    private static bool IsTrue(ConstantExpr constant) => constant.Value.Type switch
    {
        ConstantType.True => true,
        ConstantType.Int => !constant.Value.AsInteger.IsZero,
        ConstantType.Str => constant.Value.AsString is { Length: > 0 },
        _ => false,
    };
}
