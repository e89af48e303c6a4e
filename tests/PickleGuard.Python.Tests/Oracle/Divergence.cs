namespace PickleGuard.Python.Tests.Oracle;

/// <summary>One file on which the parser under test disagrees with the oracle.</summary>
/// <param name="Path">Relative to the corpus root, '/'-separated.</param>
/// <param name="Kind">What kind of disagreement.</param>
/// <param name="Cause">A short grouping key (dump cause, or a diagnostic message shape).</param>
/// <param name="Detail">What a developer needs to reproduce it (diff context, messages).</param>
internal sealed record Divergence(string Path, DivergenceKind Kind, string Cause, string Detail)
{
    /// <summary>The kind as written in known-divergences.txt, e.g. "dump-mismatch".</summary>
    public string KindName => KindNames.Of(Kind);
}
