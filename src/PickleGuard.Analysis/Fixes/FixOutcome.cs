using PickleGuard.Core;

namespace PickleGuard.Analysis.Fixes;

/// <summary>What a fixer decided for one finding: a fix, a reason there is none, or nothing to say.</summary>
internal readonly record struct FixOutcome(Fix? Fix, string? Note)
{
    public static FixOutcome None => default;

    public static FixOutcome Because(string note) => new(null, note);

    public static FixOutcome With(Fix fix) => new(fix, null);
}
