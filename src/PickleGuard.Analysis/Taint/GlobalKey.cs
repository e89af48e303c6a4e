namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A place the function analyses share through the <see cref="TaintStore"/>: an instance attribute
/// (<see cref="Semantic.ClassInfo"/>, name) or an outer variable (<see cref="Semantic.Scope"/>, name). A struct with a
/// cheap hash, because every attribute and outer-variable read looks one up three times (the store, the read set, and
/// after each round the changed set): the owner's precomputed identity hash mixed with the name's length and first
/// and last characters, instead of hashing the whole name each time (a boxed tuple did, and allocated). The hash is
/// computed once: keys are kept in every function's read set and checked after each round without touching the
/// owner or the name again.
/// </summary>
internal readonly struct GlobalKey : IEquatable<GlobalKey>
{
    private readonly int _hash;

    public GlobalKey(IdentityKeyed owner, string name)
    {
        Owner = owner;
        Name = name;
        _hash = name.Length == 0 ? owner.GetHashCode() : unchecked(owner.GetHashCode() * 31 + (name.Length ^ name[0] << 8 ^ name[^1] << 20));
    }

    public IdentityKeyed Owner { get; }

    public string Name { get; }

    public bool Equals(GlobalKey other) => _hash == other._hash && ReferenceEquals(Owner, other.Owner) && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is GlobalKey other && Equals(other);

    public override int GetHashCode() => _hash;

    /// <summary>This key's bit in a <see cref="GlobalKeyFilter"/> (the hash mixed, its top sixteen bits).</summary>
    public int FilterBit => (int)(unchecked((uint)_hash * 0x9E3779B9u) >> 16);
}
