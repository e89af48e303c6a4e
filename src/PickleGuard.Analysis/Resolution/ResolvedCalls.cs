using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// What the callee of every call site resolved to, computed once by sink detection and handed to the taint engine
/// so that it does not resolve every call a second time. Indexed like <see cref="ModuleModel.Calls"/>; read-only
/// once built (safe to share between threads).
/// </summary>
public sealed class ResolvedCalls
{
    private readonly Dictionary<ModuleModel, IReadOnlyList<SymbolicValue>[]> _byModule;

    public ResolvedCalls(IReadOnlyList<ModuleModel> modules, IReadOnlyList<IReadOnlyList<SymbolicValue>[]> callees)
    {
        _byModule = new Dictionary<ModuleModel, IReadOnlyList<SymbolicValue>[]>(modules.Count);
        for (var i = 0; i < modules.Count; i++)
        {
            _byModule[modules[i]] = callees[i];
        }
    }

    /// <summary>The callee values of <c>module.Calls[siteIndex]</c>, or null when that module was not resolved.</summary>
    public IReadOnlyList<SymbolicValue>? Callees(ModuleModel module, int siteIndex) =>
        _byModule.TryGetValue(module, out var callees) ? callees[siteIndex] : null;
}
