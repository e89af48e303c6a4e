using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The escape analysis behind per-object instance attributes (docs/taint.md): which classes are simple enough to
/// follow per object (<see cref="Tracks"/>), and which local names of a function hold an object that never leaves it
/// (<see cref="ConfinedLocals"/>). Only for such an object may the attributes its constructor and methods store stay
/// with the object instead of becoming class-wide facts: nothing else can reach it, so no other code reads them.
/// Conservative everywhere: whatever it cannot prove is an escape, and an escaping object keeps the class-wide
/// behaviour. One per worker (its caches are not shared); every answer depends only on the syntax and the resolved
/// calls, so it is the same on every worker, and a unit's answer is kept on the unit.
/// </summary>
internal sealed partial class ObjectConfinement
{
    /// <summary>Methods Python calls on attribute access or at other times than an explicit call.</summary>
    internal static readonly HashSet<string> HookMethods = new(StringComparer.Ordinal)
    {
        "__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__del__", "__new__",
    };

    /// <summary>No confined objects (most functions).</summary>
    public static readonly IReadOnlyDictionary<string, ClassInfo> None = new Dictionary<string, ClassInfo>();

    private readonly TaintProgram _program;
    private readonly Dictionary<ClassInfo, bool> _tracked = [];
    private readonly Dictionary<(ClassInfo, TaintUnit), bool> _keepsSelf = [];
    private readonly Dictionary<(ClassInfo, string), bool> _dataAttributes = [];

    public ObjectConfinement(TaintProgram program) => _program = program;

    private ProjectIndex Index => _program.Index;

    /// <summary>Whether one of <paramref name="classes"/> is followed per object (a plain loop: no delegate per unit).</summary>
    private bool TracksAny(ReadOnlySpan<ClassInfo> classes)
    {
        foreach (var cls in classes)
        {
            if (Tracks(cls))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether instances of <paramref name="cls"/> can be followed per object: every class of its hierarchy is a project
    /// class with at most one project base (so the method lookup order is the chain) or a <c>NamedTuple</c>, no
    /// metaclass, no class decorator but those of record classes (<c>@dataclass</c>, attrs: they write
    /// <c>__init__</c>) and no <c>__post_init__</c>-style hook, no attribute hooks (<c>__getattr__</c>,
    /// <c>__setattr__</c>, <c>__del__</c>, <c>__new__</c>, ...) and no method decorated with anything but
    /// <c>staticmethod</c>/<c>classmethod</c> (a property runs code on attribute access).
    /// </summary>
    private bool Tracks(ClassInfo cls)
    {
        if (!_tracked.TryGetValue(cls, out var tracked))
        {
            _tracked[cls] = tracked = _program.ClassAndBases(cls).All(IsPlainClass);
        }
        return tracked;
    }

    /// <summary>
    /// Whether <paramref name="attribute"/> is plain data on instances of <paramref name="cls"/>: the class is
    /// followed per object (<see cref="Tracks"/>: no properties, hooks or outside bases), a method of its chain stores
    /// it on <c>self</c> or it is a record field (which the generated <c>__init__</c> stores), no class of the chain
    /// binds the name in its body other than as that field (a method, a class attribute) and none stores attributes by
    /// computed name (<c>setattr</c>, <c>__dict__</c>, <c>vars</c>). Such an attribute holds only what was stored under
    /// its own name.
    /// </summary>
    public bool IsInstanceDataAttribute(ClassInfo cls, string attribute)
    {
        if (!_dataAttributes.TryGetValue((cls, attribute), out var plain))
        {
            var chain = _program.ClassAndBases(cls);
            _dataAttributes[(cls, attribute)] = plain = Tracks(cls)
                && chain.Any(c => c.InstanceAttributes.ContainsKey(attribute) || c.RecordFields.Contains(attribute))
                && !chain.Any(c => BindsOtherThanField(c, attribute) || StoresByName(c));
        }
        return plain;
    }

    private static bool BindsOtherThanField(ClassInfo cls, string attribute)
    {
        foreach (var binding in cls.BodyScope.BindingsOf(attribute))
        {
            if (!RecordClasses.IsFieldDeclaration(cls, binding))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the class body stores attributes by computed name (<c>setattr</c>, <c>__dict__</c>, <c>vars</c>).</summary>
    internal static bool StoresByName(ClassInfo cls)
    {
        var span = cls.Node.Span;
        var text = cls.DefiningScope.Module.Source.Text.AsSpan(span.Start, span.Length);
        return text.Contains("setattr", StringComparison.Ordinal) || text.Contains("__dict__", StringComparison.Ordinal)
            || text.Contains("vars(", StringComparison.Ordinal);
    }

    private bool IsPlainClass(ClassInfo cls)
    {
        var node = cls.Node;
        // A record class's decorator only writes its `__init__` (RecordClasses), unless that calls a hook of the class.
        if (node.DecoratorList.Count > 0 && !RecordClasses.HasOnlyRecordDecorators(node) || node.Keywords.Count > 0
            || RecordClasses.HasInitHooks(node))
        {
            return false;
        }
        var bases = _program.Resolver.Bases(cls);
        if (bases is [ApiValue { Path: "typing.NamedTuple" or "typing_extensions.NamedTuple" }])
        {
            return HasPlainBody(node); // a tuple whose fields are read by name; any other use of it is an escape
        }
        // The chain is the lookup order only with one project base; `object` adds nothing.
        var written = node.Bases.Count(b => b is not NameExpr { Id: "object" });
        if (written > 1 || bases.Count(b => b is ClassValue) != written || !_program.Resolver.HasOnlyProjectBases(cls))
        {
            return false;
        }
        return HasPlainBody(node);
    }

    /// <summary>No attribute hooks, and no method decorated with anything but <c>staticmethod</c>/<c>classmethod</c>.</summary>
    private static bool HasPlainBody(ClassDefStmt node)
    {
        foreach (var statement in node.Body)
        {
            var (name, decorators) = statement switch
            {
                FunctionDefStmt def => (def.Name, def.DecoratorList),
                AsyncFunctionDefStmt def => (def.Name, def.DecoratorList),
                _ => (null, []),
            };
            if (name is not null && (HookMethods.Contains(name) || decorators.Any(d => d is not NameExpr { Id: "staticmethod" or "classmethod" })))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The local names of <paramref name="unit"/> that hold an object confined to it, with its class: every binding of the name is
    /// <c>name = C(...)</c> for one tracked project class <c>C</c> whose <c>__init__</c> keeps <c>self</c>, or
    /// <c>name = make(...)</c> for a factory of <c>C</c> (<see cref="FindFactories"/>), and every use
    /// is an attribute read or store on it or a call of one of its methods that keeps <c>self</c> (transitively through
    /// <c>self.m()</c>); in a route handler it may also be returned, unless its class defines special methods the
    /// framework could call (<c>__call__</c>: a WSGI app; <c>__iter__</c>: a streamed body); in a factory of <c>C</c>
    /// it may be returned too (its callers judge what happens to it next).
    /// </summary>
    public IReadOnlyDictionary<string, ClassInfo> ConfinedLocals(TaintUnit unit)
    {
        if (unit.ConfinedObjects is { } cached)
        {
            return cached;
        }
        Dictionary<string, ClassInfo>? result = null;
        Dictionary<string, ClassInfo>? escaping = null;
        if (unit.Function?.Node is FunctionDefStmt or AsyncFunctionDefStmt)
        {
            bool? routeHandler = null;
            foreach (var name in unit.Scope.Names)
            {
                if (ConstructedClass(unit, name) is not ({ } cls, var init) || !Tracks(cls))
                {
                    continue;
                }
                // Cheapest first: most constructed locals are passed on or stored, which the syntax alone shows.
                var escapes = new ObjectUseChecker(name, static (_, _) => true, static _ => true, static _ => true, null, returnAllowed: true).Check(unit.Body).Escapes
                    || init is not null && !KeepsSelf(cls, init)
                    || LocalEscapes(unit, name, cls, unit.FreshClass == cls || !DefinesSpecialMethods(cls) && (routeHandler ??= Index.IsRouteHandler(unit, _program.Resolver)));
                (escapes ? escaping ??= new(StringComparer.Ordinal) : result ??= new(StringComparer.Ordinal))[name] = cls;
            }
        }
        unit.EscapingObjects = escaping;
        return unit.ConfinedObjects = result ?? None;
    }

    /// <summary>
    /// Finds the confined objects of every unit before the fixpoint and records their classes and base classes in
    /// <see cref="ProjectIndex.FollowedClasses"/>: only methods of those classes need receiver-attribute summaries, so
    /// no other method pays for them. Factories are found first (<see cref="FindFactories"/>). Only functions that
    /// construct a project class or call a factory are looked at, split into one
    /// slice per core, each checked by a worker the fixpoint then reuses (a worker costs a resolver of its own).
    /// </summary>
    public static void FindAll(ProjectIndex index, ConcurrentBag<TaintProgram> workers, Func<TaintProgram> newWorker, CancellationToken ct)
    {
        FindFactories(index, workers, newWorker, ct);
        // Per unit, the classes it makes (a growing array: most make one, and only `any is tracked` is asked).
        var made = new Dictionary<TaintUnit, (ClassInfo[]? Classes, int Count)>();
        void Made(TaintUnit caller, ClassInfo cls)
        {
            ref var classes = ref CollectionsMarshal.GetValueRefOrAddDefault(made, caller, out _);
            if (classes.Count == 0 || classes.Classes![classes.Count - 1] != cls)
            {
                GrowingArrays.Append(ref classes.Classes, ref classes.Count, cls);
            }
        }
        foreach (var (cls, _, caller) in index.Constructions.Values)
        {
            Made(caller, cls);
        }
        foreach (var unit in index.Units)
        {
            if (unit.FreshClass is { } fresh)
            {
                foreach (var caller in unit.Callers)
                {
                    Made(caller, fresh);
                }
            }
        }
        var units = index.Units.Where(made.ContainsKey).ToArray();
        var slices = Math.Clamp(units.Length / 256, 1, Environment.ProcessorCount);
        var followed = new HashSet<ClassInfo>[slices];
        Parallel.For(0, slices, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = slices }, slice =>
        {
            var program = workers.TryTake(out var worker) ? worker : newWorker();
            followed[slice] = [];
            for (var i = slice; i < units.Length; i += slices)
            {
                // Only a function that makes an object of a tracked class can hold a confined one.
                if (!program.Confinement.TracksAny(made[units[i]].Classes.AsSpan(0, made[units[i]].Count)))
                {
                    continue;
                }
                foreach (var cls in program.Confinement.ConfinedLocals(units[i]).Values)
                {
                    followed[slice].UnionWith(program.ClassAndBases(cls));
                }
            }
            workers.Add(program);
        });
        foreach (var unit in index.Units)
        {
            unit.ConfinedObjects ??= None;
        }
        foreach (var classes in followed)
        {
            index.FollowedClasses.UnionWith(classes);
        }
    }

    /// <summary>Whether the object <paramref name="name"/> holds (of class <paramref name="cls"/>) is used in <paramref name="unit"/> other than the per-object analysis follows.</summary>
    private bool LocalEscapes(TaintUnit unit, string name, ClassInfo cls, bool returnAllowed) =>
        new ObjectUseChecker(
            name,
            (call, method) => MethodKeepsSelf(cls, unit.Module, call, method.Attr),
            attribute => IsDataAttribute(cls, attribute),
            value => value is CallExpr call && MadeClass(unit.Module, call).Class == cls,
            superCall: null,
            returnAllowed).Check(unit.Body).Escapes;

    /// <summary>
    /// The project class every binding of <paramref name="name"/> makes (a construction or a factory call), with its
    /// <c>__init__</c> when some binding constructs it directly (a factory's was checked when it became one), else nulls.
    /// </summary>
    private (ClassInfo? Class, TaintUnit? Init) ConstructedClass(TaintUnit unit, string name)
    {
        var scope = unit.Scope;
        if (scope.IsGlobal(name) || scope.IsNonlocal(name))
        {
            return (null, null);
        }
        (ClassInfo? Class, TaintUnit? Init) result = (null, null);
        var bindings = scope.BindingsOf(name);
        for (var i = 0; i < bindings.Count; i++) // not foreach: no enumerator object for every name of every function
        {
            var binding = bindings[i];
            if (binding.Kind != BindingKind.Assignment || binding.Value is not CallExpr call || MadeClass(unit.Module, call) is not ({ } cls, var init)
                || result.Class is not null && result.Class != cls)
            {
                return (null, null);
            }
            result = (cls, init ?? result.Init);
        }
        return result;
    }

    /// <summary>
    /// The one project class a call makes a new object of: a construction (with its <c>__init__</c>), or a call that can
    /// only be a factory (<see cref="TaintUnit.FreshClass"/>; no <c>__init__</c> then), else nulls.
    /// </summary>
    private (ClassInfo? Class, TaintUnit? Init) MadeClass(ModuleModel module, CallExpr call)
    {
        if (Index.Constructions.TryGetValue(call, out var construction))
        {
            return (construction.Class, construction.Init);
        }
        return FactoryOf(module, call)?.FreshClass is { } made ? (made, null) : (null, null);
    }

    /// <summary>
    /// Whether the call <c>receiver.name(...)</c> on an instance of <paramref name="cls"/> resolved to exactly the
    /// method the class's lookup order finds (not an override the resolver could not see) and that method keeps
    /// <c>self</c>.
    /// </summary>
    private bool MethodKeepsSelf(ClassInfo cls, ModuleModel module, CallExpr call, string name) =>
        ResolvesToMethods(cls, module, call, name) is { } methods && methods.All(m => KeepsSelf(cls, m));

    /// <summary>The methods <paramref name="name"/> denotes on an instance of <paramref name="cls"/> (the first class of the chain that defines it), or none when it is not only methods.</summary>
    private List<TaintUnit> MethodUnits(ClassInfo cls, string name)
    {
        var result = new List<TaintUnit>();
        foreach (var owner in _program.ClassAndBases(cls))
        {
            var bindings = owner.BodyScope.BindingsOf(name);
            if (bindings.Count == 0)
            {
                continue;
            }
            foreach (var binding in bindings)
            {
                if (binding.Kind != BindingKind.FunctionDef || binding.Function is null || Index.UnitOf(binding.Function) is not { } unit)
                {
                    return [];
                }
                result.Add(unit);
            }
            return result;
        }
        return result;
    }

    /// <summary>
    /// A plain data attribute: not special, and no class of the chain defines it other than as a literal or a record
    /// field (a method read without a call is a bound method that holds the object).
    /// </summary>
    private bool IsDataAttribute(ClassInfo cls, string name)
    {
        if (name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var owner in _program.ClassAndBases(cls))
        {
            foreach (var binding in owner.BodyScope.BindingsOf(name))
            {
                if ((binding.Kind != BindingKind.Assignment || binding.Value is not ConstantExpr) && !RecordClasses.IsFieldDeclaration(owner, binding))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private bool DefinesSpecialMethods(ClassInfo cls) =>
        _program.ClassAndBases(cls).Any(owner => owner.Node.Body.Any(s => s switch
        {
            FunctionDefStmt def => IsSpecial(def.Name),
            AsyncFunctionDefStmt def => IsSpecial(def.Name),
            _ => false,
        }));

    private static bool IsSpecial(string name) =>
        name != "__init__" && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="root"/>, run on an instance of <paramref name="cls"/>, keeps <c>self</c> to itself: it and
    /// every method it reaches through <c>self.m()</c> or <c>super().m()</c> use <c>self</c> only to read or store data
    /// attributes and to call such methods; none is a generator or coroutine, declares globals or defines a nested
    /// function, class or lambda (which could carry the receiver's data where the summary does not follow it).
    /// </summary>
    private bool KeepsSelf(ClassInfo cls, TaintUnit root)
    {
        if (_keepsSelf.TryGetValue((cls, root), out var cached))
        {
            return cached;
        }
        var seen = new HashSet<TaintUnit> { root };
        var pending = new Stack<TaintUnit>();
        pending.Push(root);
        var result = true;
        while (result && pending.TryPop(out var method))
        {
            result = MethodBodyKeepsSelf(cls, method, seen, pending);
        }
        _keepsSelf[(cls, root)] = result;
        return result;
    }

    private bool MethodBodyKeepsSelf(ClassInfo cls, TaintUnit method, HashSet<TaintUnit> seen, Stack<TaintUnit> pending)
    {
        if (method.Function?.Node is not FunctionDefStmt || !method.TakesReceiver || method.IsClassMethod || method.Parameters.Length == 0
            || method.Function.Owner is not { } owner || !_program.ClassAndBases(cls).Contains(owner))
        {
            return false;
        }
        var receiver = method.Parameters[0].ArgValue;
        if (method.Scope.BindingsOf(receiver).Any(b => b.Kind != BindingKind.Parameter))
        {
            return false;
        }
        bool Follow(IEnumerable<TaintUnit> callees)
        {
            foreach (var callee in callees)
            {
                if (seen.Add(callee))
                {
                    pending.Push(callee);
                }
            }
            return true;
        }
        var checker = new ObjectUseChecker(
            receiver,
            (call, attribute) => ResolvesToMethods(cls, method.Module, call, attribute.Attr) is { } callees && Follow(callees),
            attribute => IsDataAttribute(cls, attribute),
            binding: null,
            call => SuperMethods(cls, method.Module, call) is { } callees && Follow(callees),
            returnAllowed: false).Check(method.Body);
        return !checker.Escapes && !checker.HasYield && !checker.DeclaresGlobals && !checker.HasNestedScope;
    }

    /// <summary>The methods <c>self.name(...)</c> resolved to, when they are exactly the ones the lookup order finds on <paramref name="cls"/>.</summary>
    private List<TaintUnit>? ResolvesToMethods(ClassInfo cls, ModuleModel module, CallExpr call, string name)
    {
        var expected = MethodUnits(cls, name);
        var info = Index.CallOf(module, call);
        if (expected.Count == 0 || info is null || info.PassesThrough || !info.Classes.IsEmpty || info.Functions.Length != expected.Count)
        {
            return null;
        }
        foreach (var (unit, bound) in info.Functions)
        {
            if (!bound || !expected.Contains(unit))
            {
                return null;
            }
        }
        return expected;
    }

    /// <summary>The project methods <c>super().m(...)</c> resolved to (all of the class's chain), else null.</summary>
    private List<TaintUnit>? SuperMethods(ClassInfo cls, ModuleModel module, CallExpr call)
    {
        var info = Index.CallOf(module, call);
        if (info is null || info.PassesThrough || !info.Classes.IsEmpty || info.Functions.IsEmpty)
        {
            return null;
        }
        var chain = _program.ClassAndBases(cls);
        var result = new List<TaintUnit>();
        foreach (var (unit, bound) in info.Functions)
        {
            if (!bound || unit.Function?.Owner is not { } owner || !chain.Contains(owner))
            {
                return null;
            }
            result.Add(unit);
        }
        return result;
    }
}
