namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A place the function analyses share through the <see cref="TaintStore"/>: an instance attribute
/// (<see cref="Semantic.ClassInfo"/>, name) or an outer variable (<see cref="Semantic.Scope"/>, name). A struct with a
/// cheap hash, because every attribute and outer-variable read looks one up three times (the store, the read set, and
/// after each round the changed set): the owner's precomputed identity hash mixed with the name's length and first
/// and last characters, instead of hashing the whole name each time (a boxed tuple did, and allocated).
/// </summary>
internal readonly struct GlobalKey : IEquatable<GlobalKey>
{
    public GlobalKey(IdentityKeyed owner, string name)
    {
        Owner = owner;
        Name = name;
    }

    public IdentityKeyed Owner { get; }

    public string Name { get; }

    public bool Equals(GlobalKey other) => ReferenceEquals(Owner, other.Owner) && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is GlobalKey other && Equals(other);

    public override int GetHashCode() =>
        Name.Length == 0 ? Owner.GetHashCode() : unchecked(Owner.GetHashCode() * 31 + (Name.Length ^ Name[0] << 8 ^ Name[^1] << 20));
}
