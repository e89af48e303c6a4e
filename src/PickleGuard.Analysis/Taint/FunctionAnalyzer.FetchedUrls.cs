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
    /// call gives a local path (<see cref="LocalPaths"/>) is dropped, what it fetched from one this call gives its own
    /// parameter, or a path built on it, keeps that parameter, the rest is data whatever the URL.
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
            var context = at.This.ContextOf(at.Call);
            if (LocalPaths.IsLocal(at.This._program, url, context, at.This._existingPaths))
            {
                return null;
            }
            return at.This.PathOnParameter(url, context, 0) is { } parameter
                ? o with { Key = o.Key with { Fetched = new FetchedUrl(at.This._unit, parameter) } }
                : o.Unfetched();
        });

    /// <summary>Where <paramref name="call"/> of this unit runs.</summary>
    private EvalContext ContextOf(CallExpr call) =>
        _module.CallSiteOf(call) is { } site ? EvalContext.At(site) : new EvalContext(_unit.Scope, call.Span.Start, _unit.Scope.Body);

    /// <summary>
    /// The parameter of this function <paramref name="path"/> is a local path with: the parameter held unchanged, a
    /// path built on it (<c>os.path.join(package_path, ".mim", "model-index.yml")</c>, <c>dirname</c>, <c>normpath</c>,
    /// <c>expanduser</c>, <c>os.fspath</c>: each is a URL only when its first argument is), or a name every binding
    /// reaching the use binds to one path built on that parameter.
    /// </summary>
    private int? PathOnParameter(Expr path, EvalContext context, int depth)
    {
        if (depth > MaxPathDepth)
        {
            return null;
        }
        switch (path)
        {
            case NameExpr name when HeldParameter(name) is { } held:
                return held;
            case NameExpr name:
                int? parameter = null;
                foreach (var binding in _program.Resolver.ReachingBindings(name.Id, context))
                {
                    if (binding is not { Kind: BindingKind.Assignment, Augments: false, Value: { } value }
                        || PathOnParameter(value, EvalContext.Of(binding), depth + 1) is not { } built
                        || parameter is { } other && other != built)
                    {
                        return null;
                    }
                    parameter = built;
                }
                return parameter;
            case CallExpr { Keywords.Count: 0, Args: [var first, ..] } call when !call.Args.Any(a => a is StarredExpr)
                && LocalPaths.Api(_program, call.Func, context) is "os.path.join" or "os.path.dirname" or "os.path.normpath" or "os.path.expanduser" or "os.fspath":
                return PathOnParameter(first, context, depth + 1);
            default:
                return null;
        }
    }

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
    /// The name, bound once, an <c>if</c> test checks exists on this machine (<c>os.path.exists(path)</c>, <c>isfile</c>,
    /// <c>isdir</c>), or null. The name is looked at first: the test runs on every analysis.
    /// </summary>
    private string? ExistenceChecked(Expr test) =>
        test is CallExpr { Func: AttributeExpr { Attr: "exists" or "isfile" or "isdir" or "lexists" } or NameExpr { Id: "exists" or "isfile" or "isdir" or "lexists" },
            Args: [NameExpr checkedPath], Keywords.Count: 0 } call
        && ValueBoundOnce(checkedPath) is not null
        && _module.CallSiteOf(call) is { } site && LocalPaths.Api(_program, call.Func, EvalContext.At(site)) is "os.path.exists" or "os.path.isfile" or "os.path.isdir" or "os.path.lexists"
            ? checkedPath.Id
            : null;
}
