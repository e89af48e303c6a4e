namespace PickleGuard.Pickle.Machine;

/// <summary>A run of raw array bytes: in <paramref name="Memory"/>, or at <paramref name="FileOffset"/> of the store's spill file when null.</summary>
internal readonly record struct JoblibArraySegment(byte[]? Memory, long FileOffset, int Length);
