using System.Runtime.InteropServices;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

public sealed partial class ValueResolver
{
    /// <summary>What <c>value.attribute</c> may denote.</summary>
    public IReadOnlyList<SymbolicValue> Member(SymbolicValue value, string attribute)
    {
        StartQueryIfOutside(value switch
        {
            ModuleValue module => module.Module,
            ClassValue cls => cls.Class.DefiningScope.Module,
            InstanceValue instance => instance.Class.DefiningScope.Module,
            _ => null,
        });
        if (_depth > MaxDepth)
        {
            return [];
        }
        _depth++;
        try
        {
            return value switch
            {
                ApiValue api => ApiMember(api, attribute),
                ModuleValue module => _moduleMemberCache.TryGetValue((module.Module, attribute), out var found) ? found
                    : Cache(_moduleMemberCache, (module.Module, attribute), ModuleMember(module.Module, attribute)),
                ClassValue cls => _classMemberCache.TryGetValue((cls.Class, attribute, false), out var found) ? found
                    : Cache(_classMemberCache, (cls.Class, attribute, false), ClassMember(cls.Class, attribute, null, 0)),
                InstanceValue { Creation: null } self => _classMemberCache.TryGetValue((self.Class, attribute, true), out var found) ? found
                    : Cache(_classMemberCache, (self.Class, attribute, true), ClassMember(self.Class, attribute, self, 0)),
                // A made instance's members name the call that made it (an inherited library method's constructor):
                // cached by that call too. The same instance is read again and again (`self._conn = Conn(...)`, then
                // `self._conn.send` in every method): ~30 % of these reads on the stdlib.
                InstanceValue instance => _instanceMemberCache.TryGetValue((instance.Class, attribute, instance.Creation), out var found) ? found
                    : Cache(_instanceMemberCache, (instance.Class, attribute, instance.Creation), ClassMember(instance.Class, attribute, instance, 0)),
                // The undecorated function a decorator keeps on what it returns: functools.wraps' `__wrapped__`,
                // Prefect's `task.fn`/`flow.fn` (prefect-redis calls `redis_get_binary.fn(key)`).
                FunctionValue { Function.Decorators.Count: > 0 } function when attribute is "__wrapped__" or "fn" => [function],
                _ => [],
            };
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>
    /// <c>api.attribute</c>, made once per value and attribute: the same members are read again and again (<c>os.path</c>,
    /// <c>np.array</c>, <c>self._lock.acquire</c> on the one value a binding or member resolved to).
    /// </summary>
    private IReadOnlyList<SymbolicValue> ApiMember(ApiValue api, string attribute)
    {
        ref var member = ref CollectionsMarshal.GetValueRefOrAddDefault(_apiMemberCache, (api, attribute), out _);
        return member ??= [api with { Path = api.Path + "." + attribute }];
    }

    /// <summary>
    /// Remembers a computed member unless it may be truncated (computed under the cycle guard or past the work
    /// budget). Looked up by the caller first, without a lambda: this runs for every attribute resolved.
    /// </summary>
    private IReadOnlyList<SymbolicValue> Cache<TKey>(Dictionary<TKey, IReadOnlyList<SymbolicValue>> cache, TKey key, IReadOnlyList<SymbolicValue> result)
        where TKey : notnull
    {
        if (_inProgress.Count == 0 && !_spent)
        {
            cache[key] = result;
        }
        return result;
    }

    private IReadOnlyList<SymbolicValue> ModuleMember(ModuleModel module, string attribute)
    {
        var scope = module.ModuleScope;
        var bound = scope.BindingsOf(attribute);
        if (bound.Count > 0)
        {
            return ResolveBindings(Reaching(scope, bound, EvalContext.EndOf(scope)));
        }
        if (_project.Find(module.Name + "." + attribute) is { } submodule)
        {
            return [new ModuleValue(submodule)];
        }
        return Cap(StarImported(scope, attribute));
    }

    /// <summary>
    /// What <c>from m import *</c> lines of <paramref name="scope"/> may bind <paramref name="name"/> to: the name in
    /// each module along them that provides it (<see cref="ProjectModel.StarProviders"/>). A scanned module that
    /// neither binds the name, nor has that submodule, nor star-imports one that does provides nothing
    /// (<c>from .cyaml import *</c> before <c>from ruamel.yaml.main import *</c> in a vendored ruamel.yaml: only the
    /// second has <c>SafeLoader</c>); a library module may provide anything (its names are unknown here).
    /// </summary>
    private IEnumerable<SymbolicValue> StarImported(Scope scope, string name)
    {
        if (scope.StarImports.Count == 0)
        {
            yield break;
        }
        foreach (var provider in _project.StarProviders(scope.Module, name))
        {
            foreach (var value in ResolveQualified(provider))
            {
                yield return value;
            }
        }
    }

    /// <summary>
    /// A class attribute, an instance attribute stored through <c>self</c>, or an inherited one; an attribute
    /// inherited from an external base becomes that base's API path (on an instance: <c>Base().attr</c>).
    /// </summary>
    /// <summary>
    /// A field the class body declares with an annotation naming an abstract project class (<c>serializer:
    /// Serializer</c>, also with an attrs or dataclass default: apscheduler 4's brokers): on an instance it holds one of
    /// the subclasses, as an annotated parameter does (<see cref="AnnotatedInstances"/>).
    /// </summary>
    private IReadOnlyList<SymbolicValue> DeclaredFieldInstances(ClassInfo cls, string attribute) =>
        cls.DeclaredFields.TryGetValue(attribute, out var declared)
            ? AnnotatedInstances(declared.Annotation, new EvalContext(cls.BodyScope, declared.Span.Start, cls.BodyScope.Body))
            : [];

    private IReadOnlyList<SymbolicValue> ClassMember(ClassInfo cls, string attribute, InstanceValue? instance, int level)
    {
        if (level > 16)
        {
            return [];
        }
        var body = cls.BodyScope;
        var stores = instance is not null && cls.InstanceAttributes.TryGetValue(attribute, out var found) ? found : null;
        var declared = instance is null ? [] : DeclaredFieldInstances(cls, attribute);
        var own = body.BindingsOf(attribute);
        if (own.Count > 0)
        {
            var bindings = Reaching(body, own, EvalContext.EndOf(body));
            var values = new ValueSet();
            for (var i = 0; i < bindings.Count && !values.Full; i++)
            {
                var bound = ResolveBinding(bindings[i]);
                if (instance is null)
                {
                    values.Add(bound);
                    continue;
                }
                for (var j = 0; j < bound.Count && !values.Full; j++)
                {
                    values.Add(OnInstance(bound[j], instance));
                }
            }
            // A default in the body (`serializer = None`, `unpack = json.loads`) that a method replaces through `self`
            // (`self.unpack = pickle.loads`: jupyter_client's Session): on an instance, either may be what is read.
            if (stores is not null)
            {
                AddInstanceStores(ref values, stores, instance!);
            }
            values.Add(declared);
            return values.Result;
        }
        var result = new ValueSet();
        if (stores is not null)
        {
            // What a project base's methods store through `self` is on the instance too: lithops' GenericProxy stores
            // `_pickler` again in `__setstate__`, after its base's `__init__` stored `cloudpickle`.
            AddInstanceStores(ref result, stores, instance!);
        }
        result.Add(declared);
        var bases = Bases(cls);
        for (var i = 0; i < bases.Count; i++)
        {
            switch (bases[i])
            {
                case ClassValue baseClass:
                    result.Add(ClassMember(baseClass.Class, attribute, instance, level + 1));
                    break;
                case ApiValue when stores is not null:
                    break; // the class's own stores stand for what a library base would set
                case ApiValue api when IsMemberlessBase(api) && api.Path != "builtins.object":
                    break; // `Generic` gives instances nothing (`object` stays what it was: a library base)
                case ApiValue api when instance is not null:
                    result.Add(new ApiValue(api.Path + ApiPath.CallMarker + "." + attribute, instance.Creation, instance.Class));
                    break;
                case ApiValue api:
                    result.Add(new ApiValue(api.Path + "." + attribute));
                    break;
            }
        }
        return result.Result;
    }

    /// <summary>
    /// A class member read on an instance: a method bound to it, and a property (<c>@property def serializer(self):
    /// return self._serializer</c>) what its getter returns — also when a setter or deleter defined after the getter
    /// binds the name last (aiocache's <c>@serializer.setter</c>: it was taken for a method bound to the instance).
    /// </summary>
    private IReadOnlyList<SymbolicValue> OnInstance(SymbolicValue member, InstanceValue instance) => member switch
    {
        FunctionValue { Function.IsProperty: true } getter => ReturnValues(getter.Function),
        FunctionValue { Function: { AccessedProperty: { } property } accessor } => PropertyOnInstance(property, accessor, instance),
        FunctionValue method => [method with { BoundTo = instance.Class }],
        _ => [member],
    };

    /// <summary>What the property a setter or deleter names (<see cref="FunctionInfo.AccessedProperty"/>, resolved where it is defined) gives on an instance.</summary>
    private IReadOnlyList<SymbolicValue> PropertyOnInstance(Expr property, FunctionInfo accessor, InstanceValue instance)
    {
        var values = new ValueSet();
        var defined = Resolve(property, EvalContext.DeclarationOf(accessor));
        for (var i = 0; i < defined.Count && !values.Full; i++)
        {
            if (defined[i] is FunctionValue function)
            {
                values.Add(OnInstance(function, instance));
            }
        }
        return values.Result;
    }

    /// <summary>
    /// Adds what the <c>self.attr = value</c> stores give, until the values are full; on an instance whose construction
    /// is known, a store made from a constructor argument resolves with what that construction passes
    /// (<see cref="MadeFromConstructorArgument"/>).
    /// </summary>
    private void AddInstanceStores(ref ValueSet values, List<Binding> stores, InstanceValue instance)
    {
        for (var i = 0; i < stores.Count && !values.Full; i++)
        {
            // As any binding: `self.x = v` is v, `self.sock, self.port = make()` an element of what make returns.
            var stored = ResolveBinding(stores[i]);
            values.Add(stored.Count == 0 && instance.Creation is { } creation ? MadeFromConstructorArgument(stores[i], instance.Class, creation) : stored);
        }
    }

    /// <summary>
    /// The bindings that define <paramref name="attribute"/> on a project module, class or instance (class body,
    /// <c>self.attr = v</c> stores, project bases), or null when some definition may lie outside the project.
    /// </summary>
    public IReadOnlyList<Binding>? AttributeBindings(SymbolicValue value, string attribute)
    {
        switch (value)
        {
            case ModuleValue module when module.Module.ModuleScope.BindingsOf(attribute) is { Count: > 0 } bound:
                return Reaching(module.Module.ModuleScope, bound, EvalContext.EndOf(module.Module.ModuleScope));
            case ClassValue cls:
                return ClassAttributeBindings(cls.Class, attribute, instance: false, 0);
            case InstanceValue instance:
                return ClassAttributeBindings(instance.Class, attribute, instance: true, 0);
            default:
                return null;
        }
    }

    private IReadOnlyList<Binding>? ClassAttributeBindings(ClassInfo cls, string attribute, bool instance, int level)
    {
        if (level > 16 || instance && cls.RecordFields.Contains(attribute))
        {
            return null; // a dataclass field holds what the constructor was given, not its default
        }
        var result = new List<Binding>();
        if (cls.BodyScope.BindingsOf(attribute) is { Count: > 0 } bound)
        {
            result.AddRange(Reaching(cls.BodyScope, bound, EvalContext.EndOf(cls.BodyScope)));
        }
        if (instance && cls.InstanceAttributes.TryGetValue(attribute, out var stores))
        {
            // A store of `__init__` that a later one there overwrites is never what another method reads.
            result.AddRange(stores.Where(s => s.Node is not AttributeExpr target || !cls.OverwrittenInInit.Contains(target)));
        }
        var bases = Bases(cls);
        if (bases.Count != cls.Node.Bases.Count)
        {
            return null; // a base that did not resolve to exactly one class
        }
        foreach (var baseValue in bases)
        {
            if (IsMemberlessBase(baseValue) || LacksAttribute(baseValue, attribute))
            {
                continue;
            }
            if (baseValue is not ClassValue baseClass)
            {
                return null; // an external base may store the attribute too: nothing can be proven
            }
            var inherited = ClassAttributeBindings(baseClass.Class, attribute, instance, level + 1);
            if (inherited is null)
            {
                return null;
            }
            result.AddRange(inherited);
        }
        return result.Count > 0 ? result : null;
    }

    /// <summary>Whether every base of <paramref name="cls"/> is a project class or <c>object</c> (no library class adds members).</summary>
    public bool HasOnlyProjectBases(ClassInfo cls)
    {
        var bases = Bases(cls);
        for (var i = 0; i < bases.Count; i++)
        {
            if (bases[i] is not ClassValue && !IsMemberlessBase(bases[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A library base that gives its subclasses no attributes or methods that matter here: <c>object</c>,
    /// <c>typing.Generic</c> (<c>class Cache(Generic[K])</c>: it only makes the class subscriptable), and <c>abc.ABC</c>
    /// (it only makes abstract methods binding).
    /// </summary>
    private static readonly HashSet<string> TestCaseDataAttributes = new(StringComparer.Ordinal)
    {
        "failureException", "longMessage", "maxDiff", "_diffThreshold", "_classSetupFailed", "_class_cleanups",
        "_testMethodName", "_outcome", "_testMethodDoc", "_cleanups", "_type_equality_funcs", "_subtest",
        "_asyncioRunner", "_asyncioTestContext", "_asyncioCallsQueue", "_asyncioTestLoop",
    };

    /// <summary>
    /// Library base classes and every data attribute they bind on their instances (class body, <c>__init__</c> and the
    /// methods that store on <c>self</c>): <c>unittest.TestCase</c> as CPython 3.8 to 3.13 writes it, cachelib's
    /// <c>BaseCache</c> (its <c>__init__</c> stores <c>default_timeout</c>, nothing else). Any other name on a subclass's
    /// instance is what the project stores there (<c>self.temp_dir</c> in a test's <c>setUp</c>, OctoPrint's
    /// <c>self._cache</c>). Methods are not listed: one the project does not define resolves to nothing either way.
    /// </summary>
    private static readonly Dictionary<string, HashSet<string>> KnownBaseDataAttributes = new(StringComparer.Ordinal)
    {
        ["unittest.TestCase"] = TestCaseDataAttributes,
        ["unittest.case.TestCase"] = TestCaseDataAttributes,
        ["unittest.IsolatedAsyncioTestCase"] = TestCaseDataAttributes,
        ["unittest.async_case.IsolatedAsyncioTestCase"] = TestCaseDataAttributes,
        ["cachelib.BaseCache"] = ["default_timeout"],
        ["cachelib.base.BaseCache"] = ["default_timeout"],
    };

    /// <summary>Whether <paramref name="value"/> is a library base known not to bind <paramref name="attribute"/> on its instances.</summary>
    private static bool LacksAttribute(SymbolicValue value, string attribute) =>
        value is ApiValue api && KnownBaseDataAttributes.TryGetValue(api.Path, out var bound) && !bound.Contains(attribute);

    public static bool IsMemberlessBase(SymbolicValue value) =>
        value is ApiValue { Path: "builtins.object" or "object" or "typing.Generic" or "typing_extensions.Generic" or "abc.ABC" };

    /// <summary>
    /// The resolved base classes of a project class (cached, unless a base's resolution ran out of its budget: then
    /// the list may be short, and is computed again when asked again).
    /// </summary>
    public IReadOnlyList<SymbolicValue> Bases(ClassInfo cls)
    {
        if (_baseCache.TryGetValue(cls, out var cached))
        {
            return cached;
        }
        _baseCache[cls] = []; // the cycle guard of `class A(B)` / `class B(A)`
        var context = new EvalContext(cls.DefiningScope, cls.Node.Span.Start, cls.Blocks);
        var cutsBefore = _resultsCutShort;
        // A subscripted base (`class Memcached(BaseCache[bytes])`, `Generic[K]`) is the class subscripted.
        var values = new ValueSet();
        var written = cls.Node.Bases;
        for (var i = 0; i < written.Count && !values.Full; i++)
        {
            values.Add(Resolve(written[i] is SubscriptExpr generic ? generic.Value : written[i], context));
        }
        var bases = values.Result;
        if (_spent || _resultsCutShort != cutsBefore)
        {
            _resultsCutShort++;
            _baseCache.Remove(cls);
        }
        else
        {
            _baseCache[cls] = bases;
        }
        return bases;
    }

    /// <summary>
    /// A class and its project base classes, depth first, at most <see cref="MaxClassChain"/> (cached: instance attribute reads ask for it on
    /// every read, and the base classes never change once computed).
    /// </summary>
    public ClassInfo[] ClassAndBases(ClassInfo cls)
    {
        if (_project.ClassChains.TryGetValue(cls, out var cached))
        {
            return cached;
        }
        var cutsBefore = _resultsCutShort;
        var ownBases = Bases(cls);
        ClassInfo[] chain;
        var projectBase = false;
        for (var i = 0; i < ownBases.Count && !projectBase; i++)
        {
            projectBase = ownBases[i] is ClassValue;
        }
        if (!projectBase)
        {
            chain = [cls]; // most classes: no project base, nothing to walk
        }
        else
        {
            // The chain is short (at most MaxClassChain): it is its own set of the classes seen.
            var result = new List<ClassInfo> { cls };
            var pending = new Stack<ClassInfo>();
            PushProjectClasses(pending, ownBases);
            while (pending.Count > 0 && result.Count < MaxClassChain)
            {
                var current = pending.Pop();
                if (result.Contains(current))
                {
                    continue;
                }
                result.Add(current);
                PushProjectClasses(pending, Bases(current));
            }
            chain = [.. result];
        }
        if (_resultsCutShort == cutsBefore)
        {
            _project.ClassChains.TryAdd(cls, chain); // another thread may have found the same chain first
        }
        return chain;
    }

    private static void PushProjectClasses(Stack<ClassInfo> pending, IReadOnlyList<SymbolicValue> bases)
    {
        for (var i = 0; i < bases.Count; i++)
        {
            if (bases[i] is ClassValue project)
            {
                pending.Push(project.Class);
            }
        }
    }
}
