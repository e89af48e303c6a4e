namespace PickleGuard.Pickle;

/// <summary>
/// Hard limits of the symbolic machine. Hitting one stops the scan of that stream and is reported as a finding
/// (PG205): resource-exhaustion payloads are an attack too. Declared lengths larger than what is left never allocate.
/// </summary>
/// <param name="MaxOpcodes">Opcodes executed per stream.</param>
/// <param name="MaxStackDepth">Values on the stack at once.</param>
/// <param name="MaxMarkDepth">Open MARKs at once (nesting).</param>
/// <param name="MaxMemoEntries">Entries in the memo (in scan mode only up to <c>MaxExactMemoEntries</c>: past it a new entry costs no memory).</param>
/// <param name="MaxLineBytes">Length of one text argument (protocol 0 lines, GLOBAL names).</param>
/// <param name="MaxRetainedBytes">Bytes kept of one str/bytes payload; the rest is skipped (constants longer than this are not shown in full).</param>
/// <param name="MaxRetainedItems">Items kept per container (the count is always exact).</param>
/// <param name="MaxTotalBytes">Bytes read per stream.</param>
/// <param name="MaxPickles">Pickles read one after the other from one stream.</param>
/// <param name="MaxNestedDepth">Depth of pickles nested in constant bytes passed to a nested deserializer.</param>
/// <param name="MaxCallSitesPerGlobal">Call sites kept as evidence per global.</param>
/// <param name="MaxDistinctGlobals">Distinct globals per stream (each is kept with its verdict and evidence).</param>
/// <param name="KeepWholeValueTree">
/// Keep every memo value exactly (for conversion to JSON). By default the scan-mode memo keeps only what matters for
/// security (globals, call results, name-like strings) and returns other memoized values as elided. Also implied by
/// <c>MaxRetainedItems = int.MaxValue</c> and by recording events (decompiler).
/// </param>
/// <param name="MaxExactMemoEntries">
/// Memo entries kept exactly in scan mode. Past this budget only globals and call results stay exact; other new
/// entries are remembered as defined and come back as <see cref="Machine.PickleValue.Unknown"/>, which every check
/// treats conservatively (a STACK_GLOBAL of one is unresolvable), so memory stays flat however large the pickle.
/// Reaching it is reported once (PG205, info). Conversion (<c>KeepWholeValueTree</c>, events) always keeps the exact memo.
/// </param>
public sealed record PickleLimits(
    long MaxOpcodes = 2_000_000_000,
    int MaxStackDepth = 4_000_000,
    int MaxMarkDepth = 100_000,
    long MaxMemoEntries = 50_000_000,
    int MaxLineBytes = 1 << 20,
    int MaxRetainedBytes = 1 << 20,
    int MaxRetainedItems = 64,
    long MaxTotalBytes = 1L << 40,
    int MaxPickles = 100_000,
    int MaxNestedDepth = 4,
    int MaxCallSitesPerGlobal = 8,
    int MaxDistinctGlobals = 100_000,
    bool KeepWholeValueTree = false,
    long MaxExactMemoEntries = 2_000_000)
{
    public static PickleLimits Default { get; } = new();
}
