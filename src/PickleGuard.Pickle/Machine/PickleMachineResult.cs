namespace PickleGuard.Pickle.Machine;

/// <summary>Everything the symbolic machine learned from one stream.</summary>
/// <param name="Results">The value each complete pickle returns, in order.</param>
/// <param name="Globals">Distinct globals in order of first import.</param>
/// <param name="Problems">Malformed stream, limits, computed callables, mutations of globals…</param>
/// <param name="Events">Side effects in order (empty unless recording was asked for).</param>
/// <param name="BytesRead">Bytes consumed.</param>
/// <param name="CompletelyRead">True when every byte was read as part of a complete pickle and no limit was hit.</param>
/// <param name="PickleCount">Number of pickles that reached STOP.</param>
public sealed record PickleMachineResult(
    IReadOnlyList<PickleValue> Results,
    IReadOnlyList<PickleGlobal> Globals,
    IReadOnlyList<MachineProblem> Problems,
    IReadOnlyList<MachineEvent> Events,
    long BytesRead,
    bool CompletelyRead,
    int PickleCount);
