using PickleGuard.Analysis.Resolution;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class ProjectIndex
{
    /// <summary>
    /// Whether <paramref name="unit"/> is a web route handler: decorated by a route decorator of a remote parameter
    /// source (<c>@app.route</c>, <c>@router.get</c>). The framework turns what it returns into a response; it never
    /// calls methods of a returned plain object, so returning one is not an escape for per-object attributes.
    /// </summary>
    public bool IsRouteHandler(TaintUnit unit, ValueResolver resolver)
    {
        var decorators = unit.Function?.Node switch
        {
            FunctionDefStmt def => def.DecoratorList,
            AsyncFunctionDefStmt def => def.DecoratorList,
            _ => [],
        };
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
