using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Parameter → attribute entries a construction inside the function makes (dvc's <c>return Repo(dvc_root)</c>, whose
/// <c>__init__</c> stores <c>self.dvc_dir</c>): the objects made there alone hold what a caller passes, so a caller's
/// source data is written with those constructions (<see cref="OriginKey.MadeAt"/>), as a construction in the caller
/// itself writes it (thirty-third session).
/// </summary>
internal sealed partial class FunctionSummary
{
    /// <summary>Per parameter → attribute entry, the constructions whose objects alone get it; null: held wherever (some store of it was no such construction's).</summary>
    private Dictionary<(int Parameter, (ClassInfo Class, string Attribute) Attribute), CallExpr[]?>? _attributeSites;

    /// <summary>The constructions whose objects alone get what <paramref name="parameter"/> brings to <paramref name="attribute"/>, or null: held wherever.</summary>
    public CallExpr[]? AttributeSites(int parameter, (ClassInfo, string) attribute) =>
        _attributeSites is not null && _attributeSites.TryGetValue((parameter, attribute), out var sites) ? sites : null;

    /// <summary>
    /// Notes that <paramref name="parameter"/> goes into <paramref name="attribute"/> of the objects made at
    /// <paramref name="sites"/> (null: of any object); joined with what earlier stores noted, as origins join (<see cref="TaintOrigin.WidenedBy"/>).
    /// </summary>
    public void NoteAttributeSites(int parameter, (ClassInfo, string) attribute, CallExpr[]? sites)
    {
        var table = _attributeSites ??= [];
        if (!table.TryGetValue((parameter, attribute), out var held))
        {
            table[(parameter, attribute)] = sites;
        }
        else if (held is not null)
        {
            table[(parameter, attribute)] = sites is null ? null : Union(held, sites);
        }
    }

    private static CallExpr[]? Union(CallExpr[] held, CallExpr[] added)
    {
        if (Array.TrueForAll(added, site => Array.IndexOf(held, site) >= 0))
        {
            return held;
        }
        var union = held.Union(added).ToArray();
        return union.Length > TaintOrigin.MaxMadeAt ? null : union;
    }

    /// <summary>For <see cref="Size"/>: one per construction, one held wherever one more than the most kept, so a widened entry grows it.</summary>
    private int AttributeSiteWeight
    {
        get
        {
            var weight = 0;
            foreach (var sites in _attributeSites?.Values ?? (IEnumerable<CallExpr[]?>)[])
            {
                weight += sites?.Length ?? TaintOrigin.MaxMadeAt + 1;
            }
            return weight;
        }
    }
}
