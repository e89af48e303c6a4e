using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class ProvenanceEvaluator
{
    /// <summary>
    /// How many stores of one attribute name are resolved per class and name. Stores of literals do not count (they
    /// cannot make an attribute less trusted); past the cap the attribute is of unknown provenance, never trusted by
    /// default. The bound keeps one attribute's query linear in the project's size; the CPython stdlib's most stored
    /// names (<c>__doc__</c>, <c>prec</c>) have about 300 such stores, most names a handful (docs/analysis.md).
    /// </summary>
    private const int MaxStoresExamined = 256;

    private readonly Dictionary<(ClassInfo, string), IReadOnlyList<Binding>?> _storeCache = [];

    /// <summary>
    /// The stores <c>x.attribute = value</c> anywhere in the project (<see cref="ProjectModel.AttributeStoresOf"/>) on
    /// a name <c>x</c> the resolver resolves to an instance of <paramref name="cls"/> or of a subclass, on an object
    /// some method may run on, and those on an expression that is no name (<c>o.inner.data = v</c>); null when there
    /// are more than <see cref="MaxStoresExamined"/> to check. Only the stores of the asked name are resolved, once per
    /// class and name.
    /// </summary>
    private IReadOnlyList<Binding>? OutsideStores(ClassInfo cls, string attribute)
    {
        if (_storeCache.TryGetValue((cls, attribute), out var cached))
        {
            return cached;
        }
        var result = new List<Binding>();
        var examined = 0;
        foreach (var store in _resolver.Project.AttributeStoresOf(attribute))
        {
            if (store.Value is ConstantExpr || store.Node is not AttributeExpr target)
            {
                continue;
            }
            if (++examined > MaxStoresExamined)
            {
                result = null;
                break;
            }
            // A store on another expression (`o.inner.data = v`) may be on any object; one on the class itself
            // (`Config.PATH = sys.argv[1]`) is what every instance and the class read.
            if (target.Value is NameExpr owner && Denoted(owner, store, cls) is var (itself, instance)
                && !itself && !(instance && _visibility.SeenByMethods(store.ExecutingScope, owner.Id)))
            {
                continue;
            }
            result.Add(store);
        }
        return _storeCache[(cls, attribute)] = result;
    }

    /// <summary>
    /// What <paramref name="owner"/> may be where the store is made: <paramref name="cls"/> or a subclass itself, an
    /// instance of one.
    /// </summary>
    private (bool Itself, bool Instance) Denoted(NameExpr owner, Binding store, ClassInfo cls)
    {
        var (itself, instance) = (false, false);
        foreach (var value in _resolver.Resolve(owner, EvalContext.Of(store)))
        {
            switch (value)
            {
                case ClassValue made when Array.IndexOf(_resolver.ClassAndBases(made.Class), cls) >= 0:
                    itself = true;
                    break;
                case InstanceValue made when Array.IndexOf(_resolver.ClassAndBases(made.Class), cls) >= 0:
                    instance = true;
                    break;
            }
        }
        return (itself, instance);
    }
}
