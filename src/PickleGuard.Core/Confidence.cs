namespace PickleGuard.Core;

/// <summary>How sure the analysis is that the finding is real (independent of how bad it would be).</summary>
public enum Confidence
{
    Low = 0,
    Medium = 1,
    High = 2,
}
