using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>PG105: <c>numpy.load(..., allow_pickle=True)</c> becomes <c>allow_pickle=False</c> when the file shows no object arrays.</summary>
internal static class NumpyFixer
{
    /// <summary>numpy.load(file, mmap_mode=None, allow_pickle=False, ...): the flag's position.</summary>
    private const int AllowPicklePosition = 2;

    public static bool Handles(string apiPath) => apiPath is "numpy.load" or "numpy.lib.npyio.load";

    public static FixOutcome Propose(FixSite site, FileFacts facts)
    {
        var call = site.Call;
        var value = CallArguments.KeywordNamed(call, "allow_pickle")?.Value
            ?? (call.Args.Count > AllowPicklePosition ? call.Args[AllowPicklePosition] : null);
        if (value is not ConstantExpr { Value.Type: ConstantType.True } literal)
        {
            return FixOutcome.Because("`allow_pickle` is not the literal `True` at the call");
        }
        if (facts.ObjectArraysReason is { } reason)
        {
            return FixOutcome.Because($"the loaded arrays could hold object arrays: {reason}");
        }
        return CallArguments.Replace(site.Path, site.Text, literal.Span, "True", "False") is { } flip
            ? FixOutcome.With(new Core.Fix("Set `allow_pickle=False`: nothing in this file reads object arrays, and numeric arrays load without pickle", [flip]))
            : FixOutcome.Because("the `allow_pickle` value could not be matched in the text");
    }
}
