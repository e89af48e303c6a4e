namespace PickleGuard.Pickle.Machine;

/// <summary>A bytes payload: the retained prefix and the length the stream declared.</summary>
public sealed class PickleBytes(byte[] prefix, long declaredLength)
{
    public byte[] Prefix { get; } = prefix;

    public long DeclaredLength { get; } = declaredLength;

    public bool IsComplete => Prefix.LongLength == DeclaredLength;
}
