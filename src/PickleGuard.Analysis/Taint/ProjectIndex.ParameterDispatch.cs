using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// An abstract or protocol method called on a parameter runs the overrides and implementations
/// <see cref="AddOverrides"/> finds, whatever the callers pass (docarray's <c>_from_binary_stream(cls: Type[T], ...)</c>
/// calling <c>cls.from_bytes(...)</c>, <c>T</c> bound to the protocol <c>Streamable</c>, ran <c>DocList.from_bytes</c>
/// too, though both callers pass a document class). Once every call has resolved, when every project call of the
/// function passes that parameter classes or objects the project knows (<see cref="DeclaredClasses"/>), only the
/// overrides those classes can run are kept: of a class in the chain of one of them or of one of their subclasses.
/// A function whose calls the project may not show all of keeps every override: a method, a decorated function, one
/// used other than by calls (<see cref="FactoryReferenceFinder"/>), an entry point (parameter sources; a public
/// function under the library threat model), one without project calls, one a call of its name that resolved to
/// nothing may call; so does a call whose argument is unknown, starred or left to the default.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>The calls on a parameter that <see cref="AddOverrides"/> added overrides to, until every call has resolved.</summary>
    private readonly ConcurrentBag<ParameterDispatch> _parameterDispatch = [];

    /// <summary>The call (resolved to <paramref name="Info"/>) in <paramref name="Function"/> on its parameter <paramref name="Parameter"/>, and the overrides added to it.</summary>
    private sealed record ParameterDispatch(CallInfo Info, TaintUnit Function, int Parameter, TaintUnit[] Overrides);

    /// <summary>Keeps the overrides added to <paramref name="info"/> past its first <paramref name="before"/> functions when the call is on a plain parameter of a function.</summary>
    private void NoteParameterDispatch(CallSite site, CallInfo info, int before)
    {
        if (info.Functions.Length == before || site.Call.Func is not AttributeExpr { Value: NameExpr receiver }
            || site.Scope.BindingsOf(receiver.Id) is not [{ Kind: BindingKind.Parameter, SelfOf: null }]
            || UnitOfScope(site.Scope) is not { Function.Owner: null } function || function.Scope != site.Scope
            || function.IndexOfParameter(receiver.Id) is not (>= 0 and var parameter))
        {
            return;
        }
        var added = new TaintUnit[info.Functions.Length - before];
        for (var i = 0; i < added.Length; i++)
        {
            added[i] = info.Functions[before + i].Unit;
        }
        _parameterDispatch.Add(new ParameterDispatch(info, function, parameter, added));
    }

    /// <summary>
    /// After every module has resolved, before <see cref="SpecialiseReceivers"/> and <see cref="Complete"/> read the calls:
    /// drops from each call of <see cref="_parameterDispatch"/> the overrides no class its function's callers pass can run.
    /// </summary>
    public void NarrowParameterDispatch(ValueResolver resolver)
    {
        if (_parameterDispatch.IsEmpty)
        {
            return;
        }
        var calls = CallsOf(_parameterDispatch.Select(dispatch => dispatch.Function).ToHashSet());
        var passed = new Dictionary<(TaintUnit, int), List<ClassInfo>?>();
        var narrowed = new List<(ParameterDispatch Dispatch, List<ClassInfo> Classes)>();
        foreach (var dispatch in _parameterDispatch)
        {
            var key = (dispatch.Function, dispatch.Parameter);
            if (!passed.TryGetValue(key, out var classes))
            {
                passed[key] = classes = CallsShown(dispatch.Function) && calls[dispatch.Function] is { Count: > 0 } sites
                    ? PassedClasses(dispatch.Function, dispatch.Parameter, sites, resolver)
                    : null;
            }
            if (classes is not null)
            {
                narrowed.Add((dispatch, classes));
            }
        }
        if (narrowed.Count == 0)
        {
            return;
        }
        foreach (var (dispatch, classes) in narrowed)
        {
            foreach (var unit in dispatch.Overrides)
            {
                if (!MayRun(unit.Function!.Owner!, classes, resolver))
                {
                    dispatch.Info.RemoveFunction(unit);
                }
            }
        }
    }

    /// <summary>
    /// The project calls of each of <paramref name="functions"/>, with the parameters a bound receiver takes; null for a
    /// function some call may reach unseen (a <c>functools.partial</c>, or a call of its name that resolved to nothing).
    /// </summary>
    private Dictionary<TaintUnit, List<(CallSite Site, int Offset)>?> CallsOf(HashSet<TaintUnit> functions)
    {
        var calls = functions.ToDictionary(function => function, List<(CallSite, int)>? (_) => []);
        var names = functions.Select(function => function.Name).ToHashSet(StringComparer.Ordinal);
        for (var m = 0; m < _moduleCalls.Length; m++)
        {
            var sites = _project.Modules[m].Calls;
            for (var i = 0; i < sites.Count; i++)
            {
                var info = _moduleCalls[m][i];
                if (info.Functions.IsEmpty && info.Classes.IsEmpty && CalleeName(sites[i].Call) is { } name && names.Contains(name))
                {
                    foreach (var function in functions.Where(f => f.Name == name))
                    {
                        calls[function] = null;
                    }
                }
                foreach (var (unit, bound) in info.Functions)
                {
                    if (calls.TryGetValue(unit, out var list) && list is not null)
                    {
                        if (info.BoundPositionals > 0)
                        {
                            calls[unit] = null;
                        }
                        else
                        {
                            list.Add((sites[i], bound ? 1 : 0));
                        }
                    }
                }
            }
        }
        return calls;
    }

    private static string? CalleeName(CallExpr call) => call.Func switch
    {
        NameExpr name => name.Id,
        AttributeExpr attribute => attribute.Attr,
        _ => null,
    };

    /// <summary>Whether the project's calls of <paramref name="function"/> are all it runs with (see the class).</summary>
    private bool CallsShown(TaintUnit function) =>
        function.Function is { Decorators.Count: 0, Node: not LambdaExpr } && !(_librarySources && IsPublic(function))
        && !_moduleParameterSources[function.Module.Position].Exists(sources => sources.Item1 == function)
        && !FactoryReferenceFinder.UsedAsValue(this, function);

    /// <summary>The classes every call in <paramref name="sites"/> passes <paramref name="function"/>'s parameter <paramref name="parameter"/>, or null when one is unknown.</summary>
    private static List<ClassInfo>? PassedClasses(TaintUnit function, int parameter, List<(CallSite Site, int Offset)> sites, ValueResolver resolver)
    {
        var result = new List<ClassInfo>();
        foreach (var (site, offset) in sites)
        {
            if (HasUnpacking(site.Call) || FunctionAnalyzer.ArgumentFor(function, site.Call, parameter, offset) is not { } argument
                || DeclaredClasses.Of(argument, EvalContext.At(site), resolver) is not { } classes)
            {
                return null;
            }
            result.AddRange(classes);
        }
        return result;
    }

    /// <summary>Whether the call has <c>*args</c> or <c>**kwargs</c>, which may bind any parameter.</summary>
    private static bool HasUnpacking(CallExpr call) =>
        call.Args.Any(argument => argument is StarredExpr) || call.Keywords.Any(keyword => keyword.Arg is null);

    /// <summary>
    /// Whether a method of <paramref name="owner"/> can run on one of <paramref name="classes"/>: the owner is in its
    /// chain or in a subclass's, or it is a protocol (a caller's own parameter typed by it), which any implementation
    /// may stand for without deriving from it.
    /// </summary>
    private bool MayRun(ClassInfo owner, List<ClassInfo> classes, ValueResolver resolver)
    {
        foreach (var cls in classes)
        {
            if (IsProtocol(cls, resolver) || Array.IndexOf(resolver.ClassAndBases(cls), owner) >= 0
                || DescendantsOf(cls).Any(subclass => Array.IndexOf(resolver.ClassAndBases(subclass), owner) >= 0))
            {
                return true;
            }
        }
        return false;
    }
}
