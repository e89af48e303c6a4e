using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Compares (class, attribute number) pairs by the class's identity and the number: the default comparer of the tuple
/// asked the class for its hash and equality through the generic comparers and mixed the two hashes, which made the
/// lookups of <see cref="RelevantUnits"/> (every name a method reads on its receiver, for every class of its chain and
/// every subclass) most of its time.
/// </summary>
internal sealed class ClassAttributeComparer : IEqualityComparer<(ClassInfo Class, int Attribute)>
{
    public static readonly ClassAttributeComparer Instance = new();

    public bool Equals((ClassInfo Class, int Attribute) x, (ClassInfo Class, int Attribute) y) =>
        ReferenceEquals(x.Class, y.Class) && x.Attribute == y.Attribute;

    public int GetHashCode((ClassInfo Class, int Attribute) pair) => pair.Class.GetHashCode() * 31 + pair.Attribute;
}
