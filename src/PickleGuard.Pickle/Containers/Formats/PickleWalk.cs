namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>One walked pickle: where it is and the value it builds (as far as the walker evaluates).</summary>
internal sealed record PickleWalk(long Start, long Length, WalkValue Result);
