namespace PickleGuard.Pickle;

/// <summary>The verdict for one global, the name it resolves to, and the reason (from the matching policy entry).</summary>
public sealed record PolicyDecision(GlobalVerdict Verdict, string ResolvedName, string Reason, PolicyEntry? Entry);
