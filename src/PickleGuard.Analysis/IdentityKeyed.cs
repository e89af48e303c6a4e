namespace PickleGuard.Analysis;

/// <summary>
/// Base of the objects compared by identity and used as keys millions of times in a scan (bindings, scopes, classes,
/// functions, modules, taint units): the hash is a number drawn at construction, so a lookup reads a field instead of
/// asking the runtime for the object's identity hash. Equality stays reference equality.
/// </summary>
public abstract class IdentityKeyed
{
    private static int s_last;

    private readonly int _hash = Interlocked.Increment(ref s_last);

    public sealed override int GetHashCode() => _hash;
}
