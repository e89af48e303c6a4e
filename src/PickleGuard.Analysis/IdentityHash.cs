namespace PickleGuard.Analysis;

/// <summary>
/// Hash codes for objects compared by identity and used as keys millions of times in a scan (bindings, classes,
/// functions, taint units): a number drawn at construction, so a lookup reads a field instead of asking the runtime
/// for the object's identity hash. Equality stays reference equality.
/// </summary>
internal static class IdentityHash
{
    private static int s_last;

    public static int Next() => Interlocked.Increment(ref s_last);
}
