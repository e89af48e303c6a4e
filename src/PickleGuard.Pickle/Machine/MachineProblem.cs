namespace PickleGuard.Pickle.Machine;

/// <summary>Something the machine found that is not a global: a malformed stream, a limit, a computed callable…</summary>
public sealed record MachineProblem(string RuleCode, Core.Severity Severity, long ByteOffset, string Message, string? Callable = null);
