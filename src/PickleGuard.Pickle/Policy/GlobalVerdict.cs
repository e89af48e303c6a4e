namespace PickleGuard.Pickle;

/// <summary>What the policy says about one global.</summary>
public enum GlobalVerdict
{
    /// <summary>On the profile's allowlist: constructing or calling it is known to be harmless.</summary>
    Allowed,
    /// <summary>Not on the allowlist and not known to be dangerous (default-deny: still a finding).</summary>
    Unvetted,
    /// <summary>A known-dangerous callable (code or process execution, file or network access, nested deserializer…).</summary>
    Dangerous,
    /// <summary>The name cannot be known without running the pickle (computed STACK_GLOBAL operands, EXT codes).</summary>
    Unresolvable,
}
