using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Objects told apart by the call that made them (<see cref="OriginKey.MadeAt"/>, thirty-second session): which
/// classes make a new object with storage of its own at every construction, which of their attributes hold only what
/// was stored on that object, and which locals hold only objects made at known constructions. Conservative: whatever
/// it cannot prove keeps the class-wide facts as they are.
/// </summary>
internal sealed partial class ObjectConfinement
{
    private readonly Dictionary<ClassInfo, bool> _apart = [];
    private readonly Dictionary<(ClassInfo, string), bool> _ownData = [];

    /// <summary>
    /// Whether every call of <paramref name="cls"/> makes a new object whose attributes are its own: every class of its
    /// chain is a project class (a library base may share instances or their storage), with no metaclass, no class
    /// decorator but a record class's, no <c>__new__</c> (a singleton) or attribute hook, and no storage swapped or
    /// filled by name (<c>self.__dict__ = shared</c>, the Borg pattern; <c>__dict__.update</c>, <c>vars(...)</c>).
    /// </summary>
    public bool KeepsObjectsApart(ClassInfo cls)
    {
        if (!_apart.TryGetValue(cls, out var apart))
        {
            _apart[cls] = apart = _program.Resolver.HasOnlyProjectBases(cls) && ChainHasOwnStorage(_program.ClassAndBases(cls));
        }
        return apart;
    }

    /// <summary>
    /// Whether every class of <paramref name="chain"/> has storage of its own, each class's answer kept for every worker
    /// (<see cref="ProjectIndex.OwnStorage"/>): a base is in the chain of every subclass, and its text was searched again
    /// for each, and again on each worker.
    /// </summary>
    private bool ChainHasOwnStorage(ClassInfo[] chain)
    {
        var answers = Index.OwnStorage;
        foreach (var cls in chain)
        {
            if (!answers.GetOrAdd(cls, HasOwnStorage))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A hook that may put an object's attributes elsewhere or hand out a shared object; <c>__del__</c> (billiard's connections) runs on the object's own storage.</summary>
    private static bool IsStorageHook(string name) => name != "__del__" && HookMethods.Contains(name);

    private static bool HasOwnStorage(ClassInfo cls)
    {
        var node = cls.Node;
        if (node.Keywords.Count > 0 || node.DecoratorList.Count > 0 && !RecordClasses.HasOnlyRecordDecorators(node)
            || node.Body.Any(s => s is FunctionDefStmt { Name: var name } && IsStorageHook(name) || s is AsyncFunctionDefStmt { Name: var hook } && IsStorageHook(hook)))
        {
            return false;
        }
        var text = ClassText(cls);
        if (text.Contains("vars(", StringComparison.Ordinal))
        {
            return false;
        }
        // One search for `__dict__` finds both the storage filled (`__dict__.update`) and swapped (`__dict__ = shared`).
        for (var at = text.IndexOf("__dict__", StringComparison.Ordinal); at >= 0; at = NextIndex(text, "__dict__", at))
        {
            var after = text[(at + "__dict__".Length)..];
            var rest = after.TrimStart(' ');
            if (after.StartsWith(".update", StringComparison.Ordinal) || rest.Length > 1 && rest[0] == '=' && rest[1] != '=')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether <paramref name="attribute"/> of an object of <paramref name="cls"/> holds only what was stored on that
    /// object (<see cref="KeepsObjectsApart"/>): a plain name, bound by no class body of the chain but to a literal (a
    /// class attribute holding a list is one list for every object, and a property or descriptor stores where it
    /// likes), and never changed in place in the chain (<c>self.items.append(v)</c>, <c>self.items[k] = v</c>,
    /// <c>self.items += v</c>: the container may be shared, as a mutable default is).
    /// </summary>
    public bool HoldsOwnData(ClassInfo cls, string attribute)
    {
        if (!_ownData.TryGetValue((cls, attribute), out var own))
        {
            var chain = _program.ClassAndBases(cls);
            _ownData[(cls, attribute)] = own = attribute.IndexOf('.') < 0 && KeepsObjectsApart(cls)
                && chain.All(c => c.BodyScope.BindingsOf(attribute).All(b => b.Kind == BindingKind.Assignment && b.Value is ConstantExpr))
                && !chain.Any(c => ChangedInPlace(ClassText(c), attribute));
        }
        return own;
    }

    /// <summary>Whether the text uses <c>.attribute</c> other than as a value read or assigned whole: indexed, an attribute or method of it taken, or an augmented assignment.</summary>
    private static bool ChangedInPlace(ReadOnlySpan<char> text, string attribute)
    {
        var name = "." + attribute;
        for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = NextIndex(text, name, at))
        {
            var rest = text[(at + name.Length)..];
            if (rest.Length > 0 && (char.IsLetterOrDigit(rest[0]) || rest[0] == '_'))
            {
                continue; // a longer name
            }
            rest = rest.TrimStart(' ');
            if (rest.Length > 0 && rest[0] is '[' or '.' || rest.Length > 1 && rest[1] == '=' && rest[0] is '+' or '-' or '*' or '/' or '|' or '&' or '^' or '%' or '@' or '<' or '>')
            {
                return true;
            }
        }
        return false;
    }

    private static int NextIndex(ReadOnlySpan<char> text, string value, int at) =>
        text[(at + 1)..].IndexOf(value, StringComparison.Ordinal) is var next and >= 0 ? at + 1 + next : -1;

    private static ReadOnlySpan<char> ClassText(ClassInfo cls) =>
        cls.DefiningScope.Module.Source.Text.AsSpan(cls.Node.Span.Start, cls.Node.Span.Length);

    /// <summary>
    /// The constructions the local <paramref name="name"/> of <paramref name="unit"/> may hold the object of, when every
    /// binding of it is <c>name = C(...)</c> or <c>with C(...) as name</c> (<c>__enter__</c> returning <c>self</c>) for
    /// classes that keep their objects apart (<see cref="KeepsObjectsApart"/>), and no nested function can rebind it;
    /// else null.
    /// </summary>
    public CallExpr[]? ConstructionSites(TaintUnit unit, string name)
    {
        var scope = unit.Scope;
        if (unit.Function is null || scope.IsGlobal(name) || scope.IsNonlocal(name)
            || unit.Module.Source.Text.AsSpan(unit.Function.Node.Span.Start, unit.Function.Node.Span.Length).Contains("nonlocal", StringComparison.Ordinal))
        {
            return null;
        }
        var bindings = scope.BindingsOf(name);
        if (bindings.Count == 0)
        {
            return null;
        }
        var sites = new CallExpr[bindings.Count];
        for (var i = 0; i < bindings.Count; i++)
        {
            var binding = bindings[i];
            if (binding.Value is not CallExpr call || binding.Augments || !Index.Constructions.TryGetValue(call, out var made) || !KeepsObjectsApart(made.Class)
                || binding.Kind switch
                {
                    BindingKind.Assignment => false,
                    BindingKind.WithTarget => !IsWholeTarget(unit.Module, call, binding.Node) || !EnterReturnsSelf(made.Class),
                    _ => true,
                })
            {
                return null;
            }
            sites[i] = call;
        }
        return sites;
    }

    /// <summary><c>with call as name</c>: only <c>as</c> between them (not <c>as (name, other)</c>).</summary>
    private static bool IsWholeTarget(ModuleModel module, CallExpr call, Node target) =>
        target is NameExpr && target.Span.Start > call.Span.End
        && module.Source.Text.AsSpan(call.Span.End, target.Span.Start - call.Span.End).Trim() is "as";

    /// <summary>Whether the <c>__enter__</c> and <c>__aenter__</c> an object of <paramref name="cls"/> has (if any) return only <c>self</c>.</summary>
    private bool EnterReturnsSelf(ClassInfo cls) => ReturnsSelf(cls, "__enter__") && ReturnsSelf(cls, "__aenter__");

    private bool ReturnsSelf(ClassInfo cls, string method)
    {
        foreach (var owner in _program.ClassAndBases(cls))
        {
            var bindings = owner.BodyScope.BindingsOf(method);
            if (bindings.Count > 0)
            {
                return bindings.All(b => b.Kind == BindingKind.FunctionDef && b.Function is not null && Index.UnitOf(b.Function) is { } unit && ReturnsSelf(unit));
            }
        }
        return true; // none: `with` fails on the object
    }

    /// <summary>An undecorated method returning its receiver, never rebound, at every <c>return</c>.</summary>
    private static bool ReturnsSelf(TaintUnit method) =>
        method.Function?.Node is FunctionDefStmt { DecoratorList.Count: 0 } or AsyncFunctionDefStmt { DecoratorList.Count: 0 }
        && method.TakesReceiver && !method.IsClassMethod && method.Parameters.Length > 0
        && method.Scope.BindingsOf(method.Parameters[0].ArgValue).All(b => b.Kind == BindingKind.Parameter)
        && ReturnCollector.YieldsOf(method.Body).Count == 0
        && ReturnCollector.Of(method.Body).All(r => r.Value is NameExpr self && self.Id == method.Parameters[0].ArgValue);
}
