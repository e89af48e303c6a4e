namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>One walked pickle: where it is, the value it builds (as far as the walker evaluates) and joblib arrays inside it.</summary>
internal sealed record PickleWalk(long Start, long Length, WalkValue Result, IReadOnlyList<InBandArray> Arrays);

/// <summary>Bytes joblib wrote inside the pickle stream after a NumpyArrayWrapper: raw array data, or a nested pickle.</summary>
internal sealed record InBandArray(long Start, long Length, bool IsPickle);
