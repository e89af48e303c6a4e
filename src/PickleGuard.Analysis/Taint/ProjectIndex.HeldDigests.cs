using System.Collections.Concurrent;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What the search for hashing functions held in an attribute or a parameter (FunctionAnalyzer.HeldDigests.cs) keeps
/// for the whole project: its answers, shared by the units the fixpoint analyses in parallel.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>Per call of a parameter given data: whether the parameter holds only digest functions.</summary>
    public ConcurrentDictionary<CallExpr, bool> HeldDigestCalls { get; } = new();

    /// <summary>Per class and attribute name: whether every store of the attribute an instance may hold puts a digest function there.</summary>
    public ConcurrentDictionary<(ClassInfo Class, string Attribute), bool> HeldDigestAttributes { get; } = new();

    /// <summary>Per dict key name: where the modules' texts mention it (<see cref="KeyMentions"/>), found on first use.</summary>
    public ConcurrentDictionary<string, KeyMentions> HeldDigestKeyMentions { get; } = new(StringComparer.Ordinal);
}
