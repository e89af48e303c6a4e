using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// What an instance's own <c>find_class</c> attribute does: the unpickler looks <c>find_class</c> up on the instance, so
/// <c>self.find_class = value</c> in a method (mitogen's <c>def __init__(self, file, find_class=find_deny):
/// self.find_class = find_class</c>) replaces the class's method.
/// </summary>
/// <param name="Stored">Some method of the class or its project bases stores <c>self.find_class</c>.</param>
/// <param name="AllRestrictive">Every value those stores can assign is restrictive (see <see cref="FindClassAnalyzer.InstanceFindClass"/>).</param>
/// <param name="SetOnConstruction">The nearest <c>__init__</c> stores it unconditionally: the class's own <c>find_class</c> never runs.</param>
/// <param name="Functions">The functions assigned, for the message (<c>find_deny</c>, <c>Message._find_global</c>).</param>
internal readonly record struct InstanceFindClass(bool Stored, bool AllRestrictive, bool SetOnConstruction, IReadOnlyList<string> Functions);

internal sealed partial class FindClassAnalyzer
{
    /// <summary>How many assignments and calls a value is followed back through.</summary>
    private const int MaxValueDepth = 6;

    /// <summary>
    /// The <c>self.find_class = value</c> stores of <paramref name="cls"/>'s methods and its project bases', judged for
    /// the instance <paramref name="construction"/> makes (null: unknown). A value is restrictive when it can only be
    /// <c>None</c> (calling it raises) or a project function whose every return is guarded by an allow-list test (the
    /// rule for a <c>find_class</c> method; a function that always raises has none). A parameter of the nearest
    /// <c>__init__</c> is what the construction call passes (its default when left out); a parameter of another function
    /// is its default and whatever every project call of that function passes (the default alone when the project never
    /// calls it); a local is each of its assignments.
    /// Anything else — a library function (<c>pickle.Unpickler.find_class</c>), an argument passed through
    /// <c>*args</c>/<c>**kwargs</c>, a parameter with no project caller seen — is not.
    /// </summary>
    public InstanceFindClass InstanceFindClass(ClassInfo cls, CallExpr? construction, EvalContext constructionContext)
    {
        var stores = _resolver.ClassAndBases(cls)
            .SelectMany(c => c.InstanceAttributes.TryGetValue("find_class", out var bindings) ? bindings : [])
            .ToList();
        if (stores.Count == 0)
        {
            return new InstanceFindClass(false, false, false, []);
        }
        var (_, init) = FindMethod(cls, "__init__", 0);
        var judge = new ValueJudge(this, init, construction, constructionContext);
        var allRestrictive = stores.All(store => store.Value is { } value && judge.Restrictive(value, EvalContext.Of(store), 0));
        var setOnConstruction = init is not null && stores.Any(store => IsTopLevelStore(init, store));
        return new InstanceFindClass(true, allRestrictive, setOnConstruction, judge.Functions);
    }

    /// <summary>The store is a statement of <paramref name="init"/>'s own body, not inside a branch or loop.</summary>
    private static bool IsTopLevelStore(FunctionDefStmt init, Binding store) =>
        init.Body.Any(statement => statement is AssignStmt assignment && assignment.Targets.Any(target => ReferenceEquals(target, store.Node)));

    /// <summary>A function value that can stand for <c>find_class</c>: restricted by the same rule as the method.</summary>
    private bool IsRestrictingFunction(FunctionValue function) =>
        function.Function.Node is FunctionDefStmt definition && function.BoundPositionals == 0
        && IsRestricted(function.Function.Scope.Module, definition, skipped: function.BoundTo is null ? 0 : 1);

    /// <summary>The values one store may assign, followed back through locals, parameters and the project's calls.</summary>
    private sealed class ValueJudge(FindClassAnalyzer analyzer, FunctionDefStmt? init, CallExpr? construction, EvalContext constructionContext)
    {
        private readonly HashSet<Binding> _visiting = [];

        public List<string> Functions { get; } = [];

        public bool Restrictive(Expr value, EvalContext context, int depth)
        {
            if (depth > MaxValueDepth)
            {
                return false;
            }
            if (value is NameExpr name)
            {
                var bindings = analyzer._resolver.ReachingBindings(name.Id, context);
                return bindings.Count > 0 && bindings.All(binding => RestrictiveBinding(binding, depth));
            }
            return RestrictiveValues(analyzer._resolver.Resolve(value, context));
        }

        private bool RestrictiveBinding(Binding binding, int depth)
        {
            if (!_visiting.Add(binding))
            {
                return true; // a cycle adds no value of its own
            }
            try
            {
                return binding.Kind switch
                {
                    BindingKind.Parameter when binding.SelfOf is not null => false,
                    BindingKind.Parameter => RestrictiveParameter(binding, depth),
                    BindingKind.Assignment when binding.Value is { } assigned => Restrictive(assigned, EvalContext.Of(binding), depth + 1),
                    _ => RestrictiveValues(analyzer._resolver.ResolveBinding(binding)),
                };
            }
            finally
            {
                _visiting.Remove(binding);
            }
        }

        /// <summary>The parameter's default (when it has one) and every argument passed for it.</summary>
        private bool RestrictiveParameter(Binding parameter, int depth)
        {
            if (parameter.Scope.Parent is not { } declaring
                || !parameter.Scope.Module.Functions.TryGetValue(parameter.Scope.Node, out var function) || function.Arguments is not { } arguments)
            {
                return false;
            }
            if (parameter.Default is { } fallback && !Restrictive(fallback, new EvalContext(declaring, parameter.Offset, parameter.Blocks), depth + 1))
            {
                return false;
            }
            if (ReferenceEquals(function.Node, init))
            {
                // The instance judged is the one this construction call makes: only its argument counts.
                return construction is not null
                    && SuperInitArguments.ArgumentFor(arguments, construction, parameter.Name) switch
                    {
                        (ArgumentKind.Found, { } passed) => Restrictive(passed, constructionContext, depth + 1),
                        (ArgumentKind.Missing, _) => parameter.Default is not null,
                        _ => false,
                    };
            }
            if (function.Name == "__init__")
            {
                return false; // the store of a base's __init__, reached through super().__init__(...): not followed
            }
            // With no call in the project the default is all the program gives it (a caller outside it is not seen).
            var callers = Callers(function);
            return (callers.Count > 0 || parameter.Default is not null)
                && callers.All(caller => RestrictivePassed(function, arguments, parameter, caller, depth));
        }

        private bool RestrictivePassed(FunctionInfo function, Arguments arguments, Binding parameter, CallSite caller, int depth)
        {
            // A method called on an instance (`self.unpickle_iter(...)`) gets `self` before the call's arguments.
            var skipped = function.Owner is not null && caller.Call.Func is AttributeExpr ? 1 : 0;
            return SuperInitArguments.ArgumentFor(arguments, caller.Call, parameter.Name, skipped) switch
            {
                (ArgumentKind.Found, { } passed) => Restrictive(passed, EvalContext.At(caller), depth + 1),
                (ArgumentKind.Missing, _) => parameter.Default is not null,
                _ => false,
            };
        }

        /// <summary>
        /// The project's calls that may call <paramref name="function"/>: by its name, resolving to it or to nothing
        /// known, none or only what a caller passes (a receiver out of sight may be an instance of its class).
        /// </summary>
        private List<CallSite> Callers(FunctionInfo function)
        {
            var callers = new List<CallSite>();
            foreach (var module in analyzer._resolver.Project.Modules)
            {
                if (!ModuleText.MayName(module, function.Name))
                {
                    continue;
                }
                foreach (var site in module.CallsNamed(function.Name))
                {
                    var callees = analyzer._resolver.Resolve(site.Call.Func, EvalContext.At(site));
                    if (callees.All(callee => callee is ApiValue { Path: ['<', ..] }) || callees.Any(callee => callee is FunctionValue f && f.Function == function))
                    {
                        callers.Add(site);
                    }
                }
            }
            return callers;
        }

        private bool RestrictiveValues(IReadOnlyList<SymbolicValue> values)
        {
            if (values.Count == 0)
            {
                return false;
            }
            foreach (var value in values)
            {
                switch (value)
                {
                    case ConstantSymbol { Constant.Value.Type: ConstantType.None }:
                        continue;
                    case FunctionValue function when analyzer.IsRestrictingFunction(function):
                        var shown = function.Function.Owner is { } owner ? $"{owner.Name}.{function.Function.Name}" : function.Function.Name;
                        if (!Functions.Contains(shown))
                        {
                            Functions.Add(shown);
                        }
                        continue;
                    default:
                        return false;
                }
            }
            return true;
        }
    }
}
