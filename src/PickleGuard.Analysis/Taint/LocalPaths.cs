using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Local file paths, which no fetch of a URL accepts (FunctionAnalyzer.FetchedUrls.cs): a literal without a scheme (no
/// <c>:</c>), a concatenation or f-string starting with <c>/</c>, <c>.</c> or <c>~</c> (no scheme starts so), a
/// package's directory (<c>mmengine.__path__[0]</c>), <c>__file__</c>, <c>os.getcwd()</c>, <c>os.path.abspath(...)</c>
/// or <c>realpath</c> (absolute), <c>os.path.join</c> onto a local path, <c>dirname</c>/<c>normpath</c>/<c>expanduser</c>,
/// <c>os.fspath</c>, <c>str</c> or a pathlib <c>.parent</c> of one, where an installed module or distribution lies
/// (<c>importlib.util.find_spec(m).origin</c>, <c>importlib.metadata.distribution(p).locate_file(f)</c>), a name whose
/// every binding reaching the use is one of these or <c>None</c>, a name an enclosing <c>if os.path.exists(name):</c>
/// found on this machine (a URL passes that test only where a directory is named after its scheme, <c>https:</c>), or
/// the call of a module function whose every return is one of these (mmengine's <c>get_installed_path(package)</c>;
/// its own calls of functions are not followed).
/// </summary>
internal static class LocalPaths
{
    /// <summary>How many names deep a path is followed to the values bound to them (expressions nest finitely, names may not).</summary>
    private const int MaxNames = 4;

    /// <summary>Whether <paramref name="path"/>, evaluated at <paramref name="context"/>, is a local file path.</summary>
    /// <param name="existing">Names enclosing <c>if os.path.exists(name):</c> tests found (each bound once in the scope), or null.</param>
    public static bool IsLocal(TaintProgram program, Expr path, EvalContext context, IReadOnlyList<string>? existing) =>
        IsLocal(program, path, context, existing, followCalls: true, 0);

    /// <summary>
    /// Whether <paramref name="unit"/> is an undecorated module function (no generator) whose every return is a local
    /// path or <c>None</c>, one at least a path.
    /// </summary>
    public static bool ReturnsLocal(TaintProgram program, TaintUnit unit)
    {
        if (unit.Function is not { Owner: null, Node: FunctionDefStmt, Decorators.Count: 0 } function || ReturnCollector.YieldsOf(function.Body).Count > 0)
        {
            return false;
        }
        var returnsPath = false;
        foreach (var (value, blocks) in function.Returns)
        {
            if (value is null or ConstantExpr { Value.Type: ConstantType.None })
            {
                continue;
            }
            if (!IsLocal(program, value, new EvalContext(function.Scope, value.Span.Start, blocks), null, followCalls: false, 0))
            {
                return false;
            }
            returnsPath = true;
        }
        return returnsPath;
    }

    private static bool IsLocal(TaintProgram program, Expr path, EvalContext context, IReadOnlyList<string>? existing, bool followCalls, int names)
    {
        switch (path)
        {
            case ConstantExpr { Value: { Type: ConstantType.Str, AsString: { Length: > 0 } text } }:
                return !text.Contains(':', StringComparison.Ordinal) || StartsLocally(text);
            case JoinedStrExpr { Values: [var first, ..] }:
                return first is ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } prefix } } ? StartsLocally(prefix)
                    : first is FormattedValueExpr { Conversion: -1, FormatSpec: null } formatted && IsLocal(program, formatted.Value, context, existing, followCalls, names);
            case BinOpExpr { Op: BinaryOperator.Add } concatenation:
                return concatenation.Left is ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } start } }
                    ? StartsLocally(start)
                    : IsLocal(program, concatenation.Left, context, existing, followCalls, names);
            case SubscriptExpr { Value: AttributeExpr { Attr: "__path__" } }:
                return true;
            case NameExpr { Id: "__file__" }:
                return true;
            case NameExpr name:
                return existing?.Contains(name.Id) == true || BoundToLocalPaths(program, name, context, existing, followCalls, names);
            case AttributeExpr { Attr: "parent" } parent: // pathlib's parent of a local path
                return IsLocal(program, parent.Value, context, existing, followCalls, names);
            case AttributeExpr { Attr: "origin" } origin:
                return Api(program, origin, context) == "importlib.util.find_spec().origin";
            case CallExpr { Keywords.Count: 0 } call when !call.Args.Any(a => a is StarredExpr):
                return Api(program, call.Func, context) switch
                {
                    "os.getcwd" or "os.path.abspath" or "os.path.realpath" or "importlib.metadata.distribution().locate_file" => true,
                    "os.path.join" or "os.path.dirname" or "os.path.normpath" or "os.path.expanduser" or "os.fspath" or "builtins.str" =>
                        call.Args.Count > 0 && IsLocal(program, call.Args[0], context, existing, followCalls, names),
                    null => followCalls && ReturnsLocal(program, call, context),
                    _ => false,
                };
            default:
                return false;
        }
    }

    private static bool StartsLocally(string text) => text.Length > 0 && text[0] is '/' or '.' or '~';

    /// <summary>
    /// Whether every binding of <paramref name="name"/> reaching <paramref name="context"/> is a plain assignment of a
    /// local path or of <c>None</c>, one at least of a path (mmengine's <c>meta_path = osp.join(package_path, ".mim",
    /// meta_path)</c>, a loop's target rebound before the use).
    /// </summary>
    private static bool BoundToLocalPaths(TaintProgram program, NameExpr name, EvalContext context, IReadOnlyList<string>? existing, bool followCalls, int names)
    {
        if (names >= MaxNames)
        {
            return false;
        }
        var bindsPath = false;
        foreach (var binding in program.Resolver.ReachingBindings(name.Id, context))
        {
            if (binding is not { Kind: BindingKind.Assignment, Augments: false, Value: { } value })
            {
                return false;
            }
            if (value is ConstantExpr { Value.Type: ConstantType.None })
            {
                continue;
            }
            if (!IsLocal(program, value, EvalContext.Of(binding), existing, followCalls, names + 1))
            {
                return false;
            }
            bindsPath = true;
        }
        return bindsPath;
    }

    /// <summary>Whether <paramref name="call"/> calls module functions of the project only, each returning local paths (<see cref="TaintUnit.ReturnsLocalPath"/>).</summary>
    private static bool ReturnsLocal(TaintProgram program, CallExpr call, EvalContext context)
    {
        var callees = program.Resolver.Resolve(call.Func, context);
        if (callees.Count == 0)
        {
            return false;
        }
        foreach (var callee in callees)
        {
            if (callee is not FunctionValue { BoundTo: null, BoundPositionals: 0 } function
                || program.Index.UnitOf(function.Function) is not { } unit || !unit.ReturnsLocalPath(program))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The API <paramref name="expr"/> names at <paramref name="context"/> (<c>osp.join</c> as <c>os.path.join</c>;
    /// posixpath and ntpath alike), or null.
    /// </summary>
    public static string? Api(TaintProgram program, Expr expr, EvalContext context)
    {
        if (expr is not (NameExpr or AttributeExpr))
        {
            return null;
        }
        foreach (var value in program.Resolver.Resolve(expr, context))
        {
            if (value is ApiValue { Path: var api })
            {
                return api.StartsWith("posixpath.", StringComparison.Ordinal) ? "os.path." + api["posixpath.".Length..]
                    : api.StartsWith("ntpath.", StringComparison.Ordinal) ? "os.path." + api["ntpath.".Length..]
                    : api;
            }
        }
        return null;
    }
}
