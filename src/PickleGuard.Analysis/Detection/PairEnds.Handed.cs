using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class PairEnds
{
    /// <summary>The calls seen to call each project function (<see cref="CallersOf"/>), or null when it may be called where the arguments are not seen.</summary>
    private readonly Dictionary<FunctionInfo, List<(CallSite Site, bool Started)>?> _callers = [];

    /// <summary>
    /// A parameter of a project function is what every call of it in the project passes there: a direct call's
    /// argument, or the <c>args</c>/<c>kwargs</c> item of a process or thread started with it as <c>target</c>
    /// (<c>Process(target=worker, args=(child,))</c>, by position or keyword). A parameter missing from a call is its
    /// default. Not traced when no call is seen, or the function is handed to any other call
    /// (<c>pool.map(worker, items)</c>: what that calls it with is not seen).
    /// </summary>
    private Nesting? TraceParameter(Binding parameter, ref int steps)
    {
        if (!parameter.Scope.Module.Functions.TryGetValue(parameter.Scope.Node, out var function) || function.Arguments is not { } arguments
            || parameter.Scope.Parent is not { } declaring || CallersOf(function) is not { Count: > 0 } callers)
        {
            return null;
        }
        var all = Nesting.None;
        foreach (var (site, started) in callers)
        {
            var skipped = function.Owner is not null && !IsStatic(function) && (started ? Target(site.Call) : site.Call.Func) is AttributeExpr ? 1 : 0;
            var (kind, passed) = started
                ? StartedArgument(site.Call, arguments, parameter.Name, skipped)
                : SuperInitArguments.ArgumentFor(arguments, site.Call, parameter.Name, skipped);
            var traced = (kind, passed, parameter.Default) switch
            {
                (ArgumentKind.Found, { } argument, _) => Trace(argument, EvalContext.At(site), ref steps),
                (ArgumentKind.Missing, _, { } fallback) => Trace(fallback, new EvalContext(declaring, parameter.Offset, parameter.Blocks), ref steps),
                _ => null,
            };
            if (traced is null || Join(all, traced.Value) is not { } joined)
            {
                return null;
            }
            all = joined;
        }
        return all.Class is null ? null : all;
    }

    /// <summary>
    /// Every call of the project that calls <paramref name="function"/> directly (its callee resolving to it or to
    /// nothing known) or starts it as a <c>target</c>; null when the function is handed to any other call. A dunder or
    /// decorated function is called in ways not written as calls of it (a construction, a wrapper): never traced.
    /// </summary>
    private List<(CallSite Site, bool Started)>? CallersOf(FunctionInfo function)
    {
        if (_callers.TryGetValue(function, out var known))
        {
            return known;
        }
        List<(CallSite, bool)>? callers = null;
        if (!function.Name.StartsWith("__", StringComparison.Ordinal) && function.Decorators.All(IsMethodKind))
        {
            callers = [];
            foreach (var module in resolver.Project.ModulesNaming(function.Scope.Module))
            {
                if (!AddCallers(callers, module, function))
                {
                    callers = null;
                    break;
                }
            }
        }
        _callers[function] = callers;
        return callers;
    }

    /// <summary>Adds the calls of <paramref name="function"/> in <paramref name="module"/>; false when the module hands it to another call.</summary>
    private bool AddCallers(List<(CallSite, bool)> callers, ModuleModel module, FunctionInfo function)
    {
        if (!ModuleText.MayName(module, function.Name))
        {
            return true; // neither calls it nor hands it on
        }
        foreach (var site in module.CallsNamed(function.Name))
        {
            if (MayBe(site.Call.Func, function, site))
            {
                callers.Add((site, false));
            }
        }
        foreach (var site in module.CallsPassing(function.Name))
        {
            var call = site.Call;
            for (var i = 0; i < call.Args.Count + call.Keywords.Count; i++)
            {
                var argument = CodeFootprint.ArgumentAt(call, i);
                if (ProjectModel.TrailingName(argument) != function.Name || !MayBe(argument, function, site))
                {
                    continue;
                }
                if (!ReferenceEquals(argument, Target(call)) || !StartsLibraryTask(site))
                {
                    return false;
                }
                callers.Add((site, true));
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="expr"/> at <paramref name="site"/> may be <paramref name="function"/>: it resolves to it, or to nothing known.</summary>
    private bool MayBe(Expr expr, FunctionInfo function, CallSite site)
    {
        var values = resolver.Resolve(expr, EvalContext.At(site));
        return values.All(value => value is ApiValue { Path: ['<', ..] }) || values.Any(value => value is FunctionValue f && f.Function == function);
    }

    /// <summary>
    /// Whether the call is of a library's (or something unknown), the <c>Process</c>/<c>Thread</c> constructors of
    /// multiprocessing, its contexts, threading or torch.multiprocessing: their <c>target</c> is called with
    /// <c>args</c> and <c>kwargs</c>. A project class or function given a <c>target</c> may call it otherwise.
    /// </summary>
    private bool StartsLibraryTask(CallSite site) =>
        resolver.Resolve(site.Call.Func, EvalContext.At(site)).All(value => value is ApiValue);

    /// <summary>
    /// The item of a started call's <c>args=(...)</c> at the parameter's position (after <paramref name="skipped"/>
    /// bound ones), or of its <c>kwargs={...}</c> under the parameter's name; unknowable when either is not a display
    /// written out.
    /// </summary>
    private static (ArgumentKind Kind, Expr? Value) StartedArgument(CallExpr call, Arguments parameters, string name, int skipped)
    {
        var position = parameters.Posonlyargs.Concat(parameters.Args).ToList().FindIndex(p => p.ArgValue == name) - skipped;
        var unknowable = call.Keywords.Any(keyword => keyword.Arg is null);
        foreach (var keyword in call.Keywords)
        {
            switch (keyword.Arg, keyword.Value)
            {
                case ("args", TupleExpr or ListExpr) when Displays.ItemsOf(keyword.Value) is { } items:
                    if (items.Any(item => item is StarredExpr))
                    {
                        unknowable = true;
                    }
                    else if (position >= 0 && position < items.Count)
                    {
                        return (ArgumentKind.Found, items[position]);
                    }
                    break;
                case ("kwargs", DictExpr dict):
                    for (var i = 0; i < dict.Keys.Count; i++)
                    {
                        if (dict.Keys[i] is not ConstantExpr { Value.Type: ConstantType.Str } key)
                        {
                            unknowable = true;
                        }
                        else if (key.Value.AsString == name)
                        {
                            return (ArgumentKind.Found, dict.Values[i]);
                        }
                    }
                    break;
                case ("args" or "kwargs", _):
                    unknowable = true;
                    break;
            }
        }
        return unknowable ? (ArgumentKind.Unknowable, null) : (ArgumentKind.Missing, null);
    }

    /// <summary>A call's <c>target=</c> argument, or null.</summary>
    private static Expr? Target(CallExpr call) => call.Keywords.FirstOrDefault(keyword => keyword.Arg == "target")?.Value;

    private static bool IsStatic(FunctionInfo function) => function.Decorators.Any(d => d is NameExpr { Id: "staticmethod" });

    private static bool IsMethodKind(Expr decorator) => decorator is NameExpr { Id: "staticmethod" or "classmethod" };
}
