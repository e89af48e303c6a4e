using System.Runtime.InteropServices;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

public sealed partial class ValueResolver
{
    private IReadOnlyList<SymbolicValue> ResolveName(string name, EvalContext context)
    {
        var bindings = ReachingBindings(name, context);
        if (bindings.Count == 1)
        {
            return ResolveBinding(bindings[0]); // already distinct and capped
        }
        if (bindings.Count > 0)
        {
            return ResolveBindings(bindings);
        }
        var module = context.Module.ModuleScope;
        if (module.StarImports.Count > 0)
        {
            // Every builtin a star-importing module reads (len, str, isinstance) comes here: worked out once per module
            // and name, as a module's members are (stdlib: ~9,400 reads of a few hundred names).
            var key = (context.Module, name);
            return _starImportedCache.TryGetValue(key, out var known) ? known
                : Cache(_starImportedCache, key, Cap(StarImported(module, name).Append(Builtin(name)[0])));
        }
        return Builtin(name);
    }

    /// <summary><c>builtins.name</c>, made once per name: the same builtins (len, isinstance, str) are read everywhere.</summary>
    private IReadOnlyList<SymbolicValue> Builtin(string name)
    {
        ref var builtin = ref CollectionsMarshal.GetValueRefOrAddDefault(_builtinCache, name, out _);
        return builtin ??= [new ApiValue("builtins." + name)];
    }

    /// <summary>
    /// The dict display a <c>**</c> unpacks: written there, or a local name bound only to one and never changed in place
    /// in its module (<c>options = {"weights_only": True}; torch.load(f, **options)</c>); null for anything else.
    /// </summary>
    public DictExpr? DictDisplayOf(Expr value, EvalContext context) => value switch
    {
        DictExpr display => display,
        NameExpr name when !context.Module.MutatedNames.Contains(name.Id)
            && ReachingBindings(name.Id, context) is [{ Kind: BindingKind.Assignment, Augments: false, Value: DictExpr display }] => display,
        _ => null,
    };

    /// <summary>
    /// The bindings of <paramref name="name"/> that may reach a use at <paramref name="context"/>, following Python's
    /// scoping (locals, global/nonlocal declarations, enclosing functions but not classes, module). Empty when the
    /// name is unbound in the project (a builtin or a star import).
    /// </summary>
    public IReadOnlyList<Binding> ReachingBindings(string name, EvalContext context)
    {
        // Each scope's bindings of the name are looked up once (BindingsOf is empty where Binds is false).
        var scope = context.Scope;
        if (scope.IsGlobal(name))
        {
            var module = scope.Module.ModuleScope;
            return Reaching(module, module.BindingsOf(name), EvalContext.EndOf(module));
        }
        var own = scope.BindingsOf(name);
        if (own.Count > 0 && !scope.IsNonlocal(name))
        {
            return Reaching(scope, own, context);
        }
        for (var outer = scope.Parent; outer is not null; outer = outer.Parent)
        {
            if (outer.Kind == ScopeKind.Class)
            {
                continue;
            }
            var enclosing = outer.BindingsOf(name);
            if (enclosing.Count > 0)
            {
                return Reaching(outer, enclosing, EvalContext.EndOf(outer));
            }
        }
        return [];
    }

    /// <summary>
    /// The bindings before the use, minus those overwritten by a later binding that dominates the use (made earlier
    /// in a block that encloses it; <c>x += v</c> overwrites nothing). When nothing precedes the use (loops, comprehension order), all bindings count.
    /// </summary>
    /// <param name="all">The bindings of the name in <paramref name="scope"/> (<see cref="Scope.BindingsOf"/>).</param>
    private static IReadOnlyList<Binding> Reaching(Scope scope, IReadOnlyList<Binding> all, EvalContext context)
    {
        if (all.Count <= 1)
        {
            return all; // what the loop below returns for one binding, whatever its offset (and without allocating)
        }
        var result = new List<Binding>(all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            var binding = all[i];
            if (binding.Offset > context.Offset)
            {
                continue;
            }
            if (binding.ExecutingScope == scope && context.Blocks.Contains(binding.Blocks.Id) && !binding.Augments)
            {
                result.Clear();
            }
            result.Add(binding);
        }
        return result.Count > 0 ? result : all;
    }
}
