using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What the search for hashing functions held in an attribute or a parameter (FunctionAnalyzer.HeldDigests.cs) keeps
/// for the whole project: its answers, shared by the units the fixpoint analyses in parallel, and the subclasses of
/// each class, made once instead of walking every class's bases for each attribute.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>Per call of a parameter given data: whether the parameter holds only digest functions.</summary>
    public ConcurrentDictionary<CallExpr, bool> HeldDigestCalls { get; } = new();

    /// <summary>Per class and attribute name: whether every store of the attribute an instance may hold puts a digest function there.</summary>
    public ConcurrentDictionary<(ClassInfo Class, string Attribute), bool> HeldDigestAttributes { get; } = new();

    private Dictionary<ClassInfo, List<ClassInfo>>? _subclassesByBase;
    private bool _subclassesBuilt;
    private object? _subclassesLock;

    /// <summary>The project's classes deriving from <paramref name="cls"/> (through <see cref="ValueResolver.ClassAndBases"/>).</summary>
    public IReadOnlyList<ClassInfo> SubclassesOf(ClassInfo cls, ValueResolver resolver) =>
        LazyInitializer.EnsureInitialized(ref _subclassesByBase, ref _subclassesBuilt, ref _subclassesLock, () => SubclassesByBase(Modules.SelectMany(static module => module.Classes.Values), resolver))!
            .GetValueOrDefault(cls) ?? [];
}
