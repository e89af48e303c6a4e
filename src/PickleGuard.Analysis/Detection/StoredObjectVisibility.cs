using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Analysis.Taint;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Whether what a function stores on a local object (<c>a.data = v</c>) can reach a method of its class: step 2 counts
/// only such stores for the provenance of <c>self.data</c>, and the taint engine makes only them class-wide facts.
/// Not thread-safe (it caches, and uses one resolver); one per resolver.
/// </summary>
internal sealed class StoredObjectVisibility
{
    private readonly ValueResolver _resolver;
    private readonly Dictionary<(Scope, string), bool> _seenByMethods = [];

    public StoredObjectVisibility(ValueResolver resolver) => _resolver = resolver;

    /// <summary>
    /// Whether a method may run on the object <paramref name="name"/> holds after a store in <paramref name="scope"/>:
    /// not when the name is a local of a function, bound only by <c>name = C(...)</c> of project classes whose
    /// construction keeps the object to itself (<see cref="LetsInstancesOut"/>), and used only to read and store data
    /// attributes (no method call, not passed, returned, stored or captured, no bound method taken) — then no method
    /// ever sees what is stored on it (<c>b = Holder(); b.data = "x"; pickle.loads(b.data)</c>).
    /// </summary>
    public bool SeenByMethods(Scope scope, string name)
    {
        if (_seenByMethods.TryGetValue((scope, name), out var cached))
        {
            return cached;
        }
        var body = scope.Node switch
        {
            FunctionDefStmt def => def.Body,
            AsyncFunctionDefStmt def => def.Body,
            _ => null,
        };
        var seen = body is null || scope.IsGlobal(name) || scope.IsNonlocal(name) || ConstructedClasses(scope, name) is not { } classes
            || classes.Any(c => LetsInstancesOut(c, classes))
            || new ObjectUseChecker(name, static (_, _) => false, attribute => !IsMethod(classes, attribute), static _ => true,
                superCall: null, returnAllowed: false).Check(body).Escapes;
        return _seenByMethods[(scope, name)] = seen;
    }

    private static bool IsMethod(List<ClassInfo> classes, string attribute) => classes.Any(c => c.BodyScope.Binds(attribute));

    /// <summary>
    /// Whether making an instance of <paramref name="cls"/> (one class of the chain <paramref name="classes"/>) may
    /// hand it to code that runs methods on it later: a class decorator or metaclass, an attribute hook
    /// (<c>__setattr__</c>, <c>__del__</c>, ...), or an <c>__init__</c> that uses <c>self</c> for anything but data
    /// attribute reads and stores and <c>super().__init__(...)</c> (<c>REGISTRY.append(self)</c>, <c>self.start()</c>).
    /// </summary>
    private static bool LetsInstancesOut(ClassInfo cls, List<ClassInfo> classes)
    {
        if (cls.Node.DecoratorList.Count > 0 || cls.Node.Keywords.Count > 0)
        {
            return true;
        }
        foreach (var statement in cls.Node.Body)
        {
            var (name, arguments, body) = statement switch
            {
                FunctionDefStmt def => (def.Name, def.Args, def.Body),
                AsyncFunctionDefStmt def => (def.Name, def.Args, def.Body),
                _ => (null, null, null),
            };
            if (name is null || arguments is null || body is null)
            {
                continue;
            }
            if (ObjectConfinement.HookMethods.Contains(name))
            {
                return true;
            }
            if (name == "__init__")
            {
                var self = arguments.Posonlyargs.Concat(arguments.Args).FirstOrDefault();
                if (self is null || new ObjectUseChecker(self.ArgValue, static (_, _) => false, attribute => !IsMethod(classes, attribute),
                    binding: null, superCall: static call => call.Func is AttributeExpr { Attr: "__init__" }, returnAllowed: false).Check(body).Escapes)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The classes <paramref name="name"/> is made from when every binding of it is <c>name = C(...)</c> of a project
    /// class whose bases are project classes too (their class bodies tell which attributes are methods), else null.
    /// </summary>
    private List<ClassInfo>? ConstructedClasses(Scope scope, string name)
    {
        var bindings = scope.BindingsOf(name);
        if (bindings.Count == 0)
        {
            return null;
        }
        var classes = new List<ClassInfo>();
        foreach (var binding in bindings)
        {
            if (binding.Kind != BindingKind.Assignment || binding.Value is not CallExpr call)
            {
                return null;
            }
            var made = _resolver.Resolve(call.Func, EvalContext.Of(binding));
            if (made.Count == 0)
            {
                return null;
            }
            foreach (var value in made)
            {
                if (value is not ClassValue cls || !AddChain(cls.Class, classes))
                {
                    return null;
                }
            }
        }
        return classes;
    }

    /// <summary>Adds a class and its bases; false when a base is not a project class (its methods are unknown).</summary>
    private bool AddChain(ClassInfo cls, List<ClassInfo> classes)
    {
        var chain = _resolver.ClassAndBases(cls);
        if (chain.Length >= ValueResolver.MaxClassChain)
        {
            return false; // possibly cut short
        }
        foreach (var current in chain)
        {
            var bases = _resolver.Bases(current);
            if (bases.Count != current.Node.Bases.Count || bases.Any(b => b is not ClassValue && !ValueResolver.IsMemberlessBase(b)))
            {
                return false; // a base that did not resolve to exactly one project class
            }
            if (!classes.Contains(current))
            {
                classes.Add(current);
            }
        }
        return true;
    }
}
