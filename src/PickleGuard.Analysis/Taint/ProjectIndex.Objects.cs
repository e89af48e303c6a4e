using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class ProjectIndex
{
    /// <summary>
    /// The classes (with their bases) of objects confined to the function that makes them, found before the fixpoint
    /// (<see cref="ObjectConfinement.FindAll"/>) and only read afterwards: their methods get receiver-attribute summaries.
    /// </summary>
    public HashSet<ClassInfo> FollowedClasses { get; } = [];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<ClassInfo, DescendantFacts> _descendantFacts = new();

    /// <summary>
    /// The project classes some project class derives from, found before the fixpoint (<see cref="FindBaseClasses"/>):
    /// only a method of one of them can run on an object of a subclass, so only those read
    /// <see cref="TaintProgram.DescendantsKey"/> (most classes have no subclass, and every read key is kept).
    /// </summary>
    public HashSet<ClassInfo> BaseClasses { get; } = [];

    /// <summary>
    /// The project classes deriving from each of <see cref="BaseClasses"/>, directly or not: the objects a method of the
    /// base may run on, whose facts it reads as its descendants' (<see cref="RelevantUnits"/> adds their writers).
    /// </summary>
    private readonly Dictionary<ClassInfo, List<ClassInfo>> _descendants = [];

    /// <param name="classAndBases">A class and its project bases, as the analysis resolves them.</param>
    public void FindBaseClasses(Func<ClassInfo, ClassInfo[]> classAndBases)
    {
        foreach (var module in _project.Modules)
        {
            foreach (var cls in module.Classes.Values)
            {
                if (cls.Node.Bases.Count == 0)
                {
                    continue; // a class written without bases derives from no project class
                }
                var chain = classAndBases(cls);
                for (var i = 1; i < chain.Length; i++)
                {
                    BaseClasses.Add(chain[i]);
                    if (!_descendants.TryGetValue(chain[i], out var descendants))
                    {
                        _descendants[chain[i]] = descendants = [];
                    }
                    descendants.Add(cls);
                }
            }
        }
    }

    /// <summary>The project classes deriving from <paramref name="cls"/> (empty for most), found by <see cref="FindBaseClasses"/>.</summary>
    public IReadOnlyList<ClassInfo> DescendantsOf(ClassInfo cls) => _descendants.TryGetValue(cls, out var descendants) ? descendants : [];

    /// <summary>The owner of the keys of <see cref="TaintProgram.DescendantsKey"/> for <paramref name="cls"/> (the same object for every worker).</summary>
    public IdentityKeyed DescendantsOwner(ClassInfo cls) => _descendantFacts.GetOrAdd(cls, static _ => new DescendantFacts());

    private sealed class DescendantFacts : IdentityKeyed;

    /// <summary>The project's modules, in the order of the project.</summary>
    public IReadOnlyList<ModuleModel> Modules => _project.Modules;

    /// <summary>
    /// The calls inside functions that can only construct one project class with an <c>__init__</c> (null: a record
    /// class declaring fields, whose <c>__init__</c> is generated), with the function that makes each; filled by
    /// <see cref="Complete"/> in module and call order.
    /// </summary>
    public Dictionary<CallExpr, (ClassInfo Class, TaintUnit? Init, TaintUnit Caller)> Constructions { get; } = [];

    /// <summary>
    /// Whether <paramref name="unit"/> is a web route handler: decorated by a route decorator of a remote parameter
    /// source (<c>@app.route</c>, <c>@router.get</c>), or a view (function or handler method of a view class) a URL
    /// route registers (<c>path("x/", view)</c>, <c>path("x/", MyView.as_view())</c>). The framework turns what it
    /// returns into a response; it never calls methods of a returned plain object, so returning one is not an escape
    /// for per-object attributes.
    /// </summary>
    public bool IsRouteHandler(TaintUnit unit, ValueResolver resolver)
    {
        if (_routeHandlers.ContainsKey(unit))
        {
            return true;
        }
        var decorators = unit.Function?.Decorators ?? [];
        if (decorators.Count == 0)
        {
            return false;
        }
        var paths = DecoratorPaths(unit.Function!, decorators, resolver);
        foreach (var model in _models.Taint.ParameterSources)
        {
            if (model.Kind == "remote" && model.DecoratedBy.Count > 0 && paths.Any(model.DecoratedBy.Contains))
            {
                return true;
            }
        }
        return false;
    }
}
