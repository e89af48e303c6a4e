using PickleGuard.Analysis.Resolution;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class ProvenanceEvaluator
{
    /// <summary>
    /// <c>p.parent</c> and <c>p.parents</c> of a pathlib path: computed from the path alone, as <c>os.path.dirname(p)</c>
    /// is, so as trusted as <c>p</c> (<c>Path(__file__).parent / "configs"</c> is below the module's own path, like
    /// <c>os.path.join(os.path.dirname(__file__), "configs")</c>). Null when the attribute is another, or the receiver
    /// may be anything but a pathlib path (a project object's <c>parent</c> is what was stored in it).
    /// </summary>
    private Provenance? ParentOfPath(AttributeExpr attribute, EvalContext context)
    {
        if (attribute.Attr is not ("parent" or "parents"))
        {
            return null;
        }
        var receivers = _resolver.Resolve(attribute.Value, context);
        if (receivers.Count == 0 || !receivers.All(r => r is ApiValue { Path: var path } && path.StartsWith("pathlib.", StringComparison.Ordinal)))
        {
            return null;
        }
        var path = Evaluate(attribute.Value, context);
        return path.IsProgramControlled ? Provenance.Program($"a directory above {path.Description}") : path;
    }
}
