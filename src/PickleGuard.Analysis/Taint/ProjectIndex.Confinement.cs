using System.Collections.Concurrent;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>What the confinement analysis (<see cref="ObjectConfinement"/>, one per worker) finds once for the whole project.</summary>
internal sealed partial class ProjectIndex
{
    /// <summary>
    /// Per class: whether its own code leaves each object its own storage (ObjectConfinement.Sites.cs, <c>HasOwnStorage</c>):
    /// a search of the class's text, the same on every worker, so made once and shared.
    /// </summary>
    public ConcurrentDictionary<ClassInfo, bool> OwnStorage { get; } = new();
}
