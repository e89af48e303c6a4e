namespace PickleGuard.Pickle;

/// <summary>One line of a policy file, with the reason it gives and where it came from.</summary>
public sealed record PolicyEntry(PolicyAction Action, string Pattern, string Reason, string File, int Line)
{
    public string Source => $"{File}:{Line}";
}
