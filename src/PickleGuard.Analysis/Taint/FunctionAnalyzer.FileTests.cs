using PickleGuard.Analysis.Resolution;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Type tests telling a file object from a path (joblib's <c>load(filename)</c>: <c>if hasattr(filename, "read"):
/// pickle.load(filename)</c>, <c>else: with open(filename, "rb") as f: ...</c>): a sink the path branch leads to runs
/// only while the tested parameter is no file object, a <see cref="SafeFlagTest.NoFileObject"/> flag
/// (FunctionAnalyzer.SafeFlags.cs), so a call handing the function a file object (<c>open(...)</c>,
/// <c>io.BytesIO(...)</c>, a socket's <c>makefile()</c>) is no path to it: <c>open(stream)</c> would raise. A value of
/// unknown kind (a parameter, bytes read from a socket) still reaches both branches.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Attributes every file object has (<c>io.IOBase</c> and its read/write classes define them), so <c>hasattr</c> of one is true of it.</summary>
    private static readonly HashSet<string> FileObjectAttributes = new(StringComparer.Ordinal) { "read", "readline", "write", "seek", "tell", "fileno" };

    /// <summary>Types no file object is an instance of: <c>isinstance(f, (str, os.PathLike))</c> holds for paths only.</summary>
    private static readonly HashSet<string> PathTypes = new(StringComparer.Ordinal)
    {
        "builtins.str", "builtins.bytes", "os.PathLike", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath",
        "pathlib.PurePosixPath", "pathlib.PureWindowsPath",
    };

    /// <summary>The base class of every file object <see cref="FileObjectMakers"/> make: <c>isinstance(f, io.IOBase)</c> fails for paths only.</summary>
    private static readonly HashSet<string> FileObjectBases = new(StringComparer.Ordinal) { "io.IOBase" };

    /// <summary>Calls whose result is a file object (an <c>io.IOBase</c> with <see cref="FileObjectAttributes"/>), whatever they are given.</summary>
    private static readonly HashSet<string> FileObjectMakers = new(StringComparer.Ordinal)
    {
        "builtins.open", "io.open", "io.FileIO", "io.BytesIO", "io.StringIO", "socket.socket().makefile", "socket.create_connection().makefile",
    };

    /// <summary>Calls that give a path-like argument's path and raise for anything else (a file object among them).</summary>
    private static readonly HashSet<string> PathConversions = new(StringComparer.Ordinal) { "os.fspath", "os.fsencode", "os.fsdecode" };

    private static readonly HashSet<string> HasAttr = new(StringComparer.Ordinal) { "builtins.hasattr" };

    private static readonly HashSet<string> IsInstance = new(StringComparer.Ordinal) { "builtins.isinstance" };

    /// <summary>
    /// The parameter of <paramref name="unit"/> a type test tells from a file object, and the outcome of the test that
    /// proves it is none: false for <c>hasattr(f, "read")</c> and <c>isinstance(f, io.IOBase)</c>, true for
    /// <c>isinstance(f, (str, os.PathLike))</c>; <c>not</c> swaps it. The parameter must hold what the caller gave
    /// (<see cref="HoldsArgument"/>), in a loop with every binding of it in the function so.
    /// </summary>
    private (int Index, bool NoFileWhen)? FileTest(TaintUnit unit, Expr test, bool inLoop)
    {
        switch (test)
        {
            case UnaryOpExpr { Op: UnaryOperator.Not, Operand: var operand }:
                return FileTest(unit, operand, inLoop) is var (index, when) ? (index, !when) : null;
            case CallExpr { Args: [NameExpr tested, var type], Keywords.Count: 0 } call
                when unit.Module.CallSiteOf(call) is { Scope: var scope } site && scope == unit.Scope:
                var context = EvalContext.At(site);
                bool? noFileWhen = type is ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } attribute } } && FileObjectAttributes.Contains(attribute)
                    && ResolvesToAll(call, HasAttr, context) ? false
                    : !ResolvesToAll(call, IsInstance, context) ? null
                    : TypesAll(type, PathTypes, context) ? true
                    : TypesAll(type, FileObjectBases, context) ? false
                    : null;
                return noFileWhen is { } outcome && HoldsArgument(unit, tested.Id, context, inLoop) is { } parameter ? (parameter, outcome) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The index of <paramref name="name"/>, a parameter of <paramref name="unit"/>, when every binding of it reaching
    /// <paramref name="context"/> (every binding of the function's, in a loop) is the parameter or a path conversion of
    /// it (joblib's <c>filename = os.fspath(filename)</c>, which raises for a file object): then it holds the caller's
    /// file object whenever the caller gave one.
    /// </summary>
    private int? HoldsArgument(TaintUnit unit, string name, EvalContext context, bool inLoop)
    {
        var index = unit.IndexOfParameter(name);
        if (index < 0)
        {
            return null;
        }
        var bindings = inLoop ? unit.Scope.BindingsOf(name) : _program.Resolver.ReachingBindings(name, context);
        foreach (var binding in bindings)
        {
            var kept = binding.Scope == unit.Scope && binding switch
            {
                { Kind: Semantic.BindingKind.Parameter } => true,
                { Kind: Semantic.BindingKind.Assignment, Augments: false, Value: CallExpr { Args: [NameExpr converted], Keywords.Count: 0 } conversion } =>
                    converted.Id == name && ResolvesToAll(conversion, PathConversions, EvalContext.Of(binding)),
                _ => false,
            };
            if (!kept)
            {
                return null;
            }
        }
        return bindings.Count > 0 ? index : null;
    }

    /// <summary>Whether the type (or each type of a tuple) an <c>isinstance</c> names resolves to one of <paramref name="types"/> only.</summary>
    private bool TypesAll(Expr type, HashSet<string> types, EvalContext context) => type switch
    {
        TupleExpr { Elts.Count: > 0 } tuple => tuple.Elts.All(t => TypesAll(t, types, context)),
        NameExpr or AttributeExpr => _program.Resolver.Resolve(type, context) is { Count: > 0 } values
            && values.All(value => value is ApiValue { Path: var path } && types.Contains(path)),
        _ => false,
    };

    /// <summary>What says, for <see cref="SafeFlag.MakesSafe"/>, whether a value the call <paramref name="call"/> gives is a file object.</summary>
    private Func<Expr, bool> FileObjectsAt(CallExpr call) => given => IsFileObject(given, call);

    /// <summary>
    /// The <see cref="SafeFlagTest.NoFileObject"/> flag of a type test around <paramref name="call"/> in this function,
    /// or null: every sink of another function reached through the call runs only while its parameter is no file
    /// object, so this function's parameters reach it with that flag (<see cref="FunctionSummary.FlagOf"/>).
    /// </summary>
    private SafeFlag? FileTestAround(CallExpr call)
    {
        if (_unit.Function is not { } function)
        {
            return null;
        }
        var flags = new List<SafeFlag>();
        CollectBranchFlags(_unit, function.Body, call.Span.Start, flags, 0, inLoop: false);
        var index = flags.FindIndex(static flag => flag.Test == SafeFlagTest.NoFileObject);
        return index < 0 ? null : flags[index];
    }

    /// <summary>
    /// Whether what a call at <paramref name="at"/> (in this function) gives is a file object: a call making one, or a
    /// name every binding of which reaching the call is one (<c>with conn.makefile("rb") as cf:</c>, twice in joblib's
    /// test).
    /// </summary>
    private bool IsFileObject(Expr given, CallExpr at)
    {
        switch (given)
        {
            case CallExpr made:
                return ResolvesToAll(made, FileObjectMakers);
            case NameExpr name when _module.CallSiteOf(at) is { } site:
                var bindings = _program.Resolver.ReachingBindings(name.Id, EvalContext.At(site));
                return bindings.Count > 0 && bindings.All(binding => binding is
                {
                    Kind: Semantic.BindingKind.Assignment or Semantic.BindingKind.WithTarget, Augments: false, Value: CallExpr made,
                } && IsFileObject(made, at));
            default:
                return false;
        }
    }
}
