namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A set of <see cref="GlobalKey"/>s as 65,536 bits, one per key's <see cref="GlobalKey.FilterBit"/>: a key whose bit is
/// clear is not in the set, without a hash-table lookup. After a round of the fixpoint thousands of keys have changed
/// and the units' reads (about 175,000 keys on the CPython standard library) are checked against them; a 64-bit
/// signature per unit, tried before, had every bit set by then.
/// </summary>
internal sealed class GlobalKeyFilter
{
    private readonly ulong[] _bits = new ulong[1 << 10];

    public GlobalKeyFilter(IEnumerable<GlobalKey> keys)
    {
        foreach (var key in keys)
        {
            _bits[key.FilterBit >> 6] |= 1UL << key.FilterBit;
        }
    }

    public bool MayContain(GlobalKey key) => (_bits[key.FilterBit >> 6] & (1UL << key.FilterBit)) != 0;
}
