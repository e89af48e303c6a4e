using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Compares (class, method) pairs by identity (<see cref="ProjectIndex"/>'s overrides by receiver class), as
/// <see cref="ClassAttributeComparer"/> does: not through the tuple's generic comparers.
/// </summary>
internal sealed class ReceiverMethodComparer : IEqualityComparer<(ClassInfo Receiver, FunctionInfo Method)>
{
    public static readonly ReceiverMethodComparer Instance = new();

    public bool Equals((ClassInfo Receiver, FunctionInfo Method) x, (ClassInfo Receiver, FunctionInfo Method) y) =>
        ReferenceEquals(x.Receiver, y.Receiver) && ReferenceEquals(x.Method, y.Method);

    public int GetHashCode((ClassInfo Receiver, FunctionInfo Method) pair) => pair.Receiver.GetHashCode() * 31 + pair.Method.GetHashCode();
}
