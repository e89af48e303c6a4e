using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A helper that fetches the URL its parameter holds (<see cref="SourceModel.UrlArgument"/>: mmengine's
/// <c>HTTPBackend.get_text(filepath)</c>, <c>urlopen(filepath)</c>) returns network data only to callers that may pass a
/// URL: a local file path (no scheme) makes the fetch fail. Its source data keeps that parameter (<see cref="FetchedUrl"/>)
/// while it is returned; a call giving the parameter a local path gets none of it, a call handing on its own parameter
/// passes the condition to its callers (mmengine's <c>load(file)</c>, which picks the backend from the path's prefix
/// and reads <c>file</c> through it), any other call gets the data. So <c>load(osp.join(mmengine.__path__[0],
/// "hub/openmmlab.json"))</c> returns no network data, while <c>load(url)</c> does. Only the return value carries the
/// condition: a sink reached inside the helper, or data it stores, is the fetch's data whatever the URL.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    private const int MaxLocalPathDepth = 4;

    /// <summary>Names of paths an enclosing <c>if os.path.exists(path):</c> found on this machine, innermost last.</summary>
    private List<string>? _existingPaths;

    /// <summary><paramref name="received"/>, the source data of <paramref name="call"/>, tagged with the parameter of this function whose URL it fetches, if any.</summary>
    private TaintValue FetchedFromParameter(TaintValue received, SourceModel model, string name, CallExpr call)
    {
        if (model.UrlArgument is not { } selector || FetchingCall(call, name) is not { } fetching
            || ArgumentFinder.Find(fetching, selector).Value is not NameExpr url || HeldParameter(url) is not { } parameter)
        {
            return received;
        }
        var fetched = new FetchedUrl(_unit, parameter);
        return received.Select(fetched, static (o, fetched) => o with { Key = o.Key with { Fetched = fetched } });
    }

    /// <summary>
    /// The call of <paramref name="call"/>'s chain the source <paramref name="name"/> names: <c>urlopen(url)</c> of
    /// <c>urlopen(url).read()</c>, the call after the constructor's for <c>requests.Session().get</c>.
    /// </summary>
    private static CallExpr? FetchingCall(CallExpr call, string name)
    {
        var chain = new List<CallExpr>(); // outermost first
        for (Expr part = call; part is CallExpr or AttributeExpr;)
        {
            if (part is CallExpr made)
            {
                chain.Add(made);
                part = made.Func;
            }
            else
            {
                part = ((AttributeExpr)part).Value;
            }
        }
        var calls = name.Split("()").Length; // the calls the name makes, its own last one included
        return chain.Count >= calls ? chain[^calls] : null;
    }

    /// <summary>
    /// The source data <paramref name="callee"/> returns, at this call: what it fetched from the URL of a parameter this
    /// call gives a local path is dropped, what it fetched from one this call gives its own parameter keeps that
    /// parameter, the rest is data whatever the URL.
    /// </summary>
    private TaintValue FetchedHere(TaintUnit callee, CallExpr call, bool? directlyBound, TaintValue returned) =>
        returned.Select((This: this, Callee: callee, Call: call, Bound: directlyBound), static (o, at) =>
        {
            if (o.Key.Fetched is not { } fetched)
            {
                return o;
            }
            if (fetched.Unit != at.Callee || at.Bound is not { } bound
                || ArgumentFor(at.Callee, at.Call, fetched.Parameter, bound ? 1 : 0) is not { } url)
            {
                return o.Unfetched();
            }
            if (at.This.IsLocalPath(url, 0))
            {
                return null;
            }
            return url is NameExpr name && at.This.HeldParameter(name) is { } parameter
                ? o with { Key = o.Key with { Fetched = new FetchedUrl(at.This._unit, parameter) } }
                : o.Unfetched();
        });

    /// <summary>
    /// The parameter of this function <paramref name="name"/> holds unchanged: every binding of it is the parameter or
    /// <c>name = str(name)</c> (mmengine's <c>if isinstance(file, Path): file = str(file)</c>).
    /// </summary>
    private int? HeldParameter(NameExpr name)
    {
        var parameter = _unit.Function is null ? -1 : _unit.IndexOfParameter(name.Id);
        if (parameter < 0)
        {
            return null;
        }
        foreach (var binding in _unit.Scope.BindingsOf(name.Id))
        {
            var keeps = binding.Kind == BindingKind.Parameter
                || binding is { Kind: BindingKind.Assignment, Value: CallExpr { Func: NameExpr { Id: "str" }, Args: [NameExpr converted], Keywords.Count: 0 } }
                && converted.Id == name.Id;
            if (!keeps)
            {
                return null;
            }
        }
        return parameter;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a local file path, which no fetch of a URL accepts: a literal without a scheme
    /// (no <c>:</c>), a concatenation or f-string starting with <c>/</c>, <c>.</c> or <c>~</c> (no scheme starts so),
    /// a package's directory (<c>mmengine.__path__[0]</c>), <c>__file__</c>, <c>os.getcwd()</c>, <c>os.path.abspath(...)</c>
    /// or <c>realpath</c> (absolute), <c>os.path.join</c> onto a local path, <c>dirname</c>/<c>normpath</c>/<c>expanduser</c>
    /// of one, a name bound once to one, or a name an enclosing <c>if os.path.exists(name):</c> found on this machine (a
    /// URL passes that test only where a directory is named after its scheme, <c>https:</c>).
    /// </summary>
    private bool IsLocalPath(Expr path, int depth)
    {
        if (depth > MaxLocalPathDepth)
        {
            return false;
        }
        switch (path)
        {
            case ConstantExpr { Value: { Type: ConstantType.Str, AsString: { Length: > 0 } text } }:
                return !text.Contains(':', StringComparison.Ordinal) || StartsLocally(text);
            case JoinedStrExpr { Values: [var first, ..] }:
                return first is ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } prefix } } ? StartsLocally(prefix)
                    : first is FormattedValueExpr { Conversion: -1, FormatSpec: null } formatted && IsLocalPath(formatted.Value, depth + 1);
            case BinOpExpr { Op: BinaryOperator.Add } concatenation:
                return concatenation.Left is ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } start } } ? StartsLocally(start) : IsLocalPath(concatenation.Left, depth + 1);
            case SubscriptExpr { Value: AttributeExpr { Attr: "__path__" } }:
                return true;
            case NameExpr { Id: "__file__" }:
                return true;
            case NameExpr name:
                return _existingPaths?.Contains(name.Id) == true || ValueBoundOnce(name) is { } value && IsLocalPath(value, depth + 1);
            case CallExpr { Keywords.Count: 0 } call when !call.Args.Any(a => a is StarredExpr):
                return PathFunction(call) switch
                {
                    "os.getcwd" or "os.path.abspath" or "os.path.realpath" => true,
                    "os.path.join" or "os.path.dirname" or "os.path.normpath" or "os.path.expanduser" or "os.fspath" =>
                        call.Args.Count > 0 && IsLocalPath(call.Args[0], depth + 1),
                    _ => false,
                };
            default:
                return false;
        }
    }

    private static bool StartsLocally(string text) => text.Length > 0 && text[0] is '/' or '.' or '~';

    /// <summary>The <c>os</c> function <paramref name="call"/> calls (<c>osp.join</c> as <c>os.path.join</c>; posixpath and ntpath alike), or null.</summary>
    private string? PathFunction(CallExpr call)
    {
        if (call.Func is not (NameExpr or AttributeExpr) || _module.CallSiteOf(call) is not { } site)
        {
            return null;
        }
        foreach (var value in _program.Resolver.Resolve(call.Func, EvalContext.At(site)))
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

    /// <summary>
    /// The name, bound once, an <c>if</c> test checks exists on this machine (<c>os.path.exists(path)</c>, <c>isfile</c>,
    /// <c>isdir</c>), or null. The name is looked at first: the test runs on every analysis.
    /// </summary>
    private string? ExistenceChecked(Expr test) =>
        test is CallExpr { Func: AttributeExpr { Attr: "exists" or "isfile" or "isdir" or "lexists" } or NameExpr { Id: "exists" or "isfile" or "isdir" or "lexists" },
            Args: [NameExpr checkedPath], Keywords.Count: 0 } call
        && ValueBoundOnce(checkedPath) is not null
        && PathFunction(call) is "os.path.exists" or "os.path.isfile" or "os.path.isdir" or "os.path.lexists"
            ? checkedPath.Id
            : null;
}
