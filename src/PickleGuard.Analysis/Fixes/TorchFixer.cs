using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>PG104: <c>torch.load(f)</c> gets <c>weights_only=True</c> (or <c>weights_only=False</c> becomes <c>True</c>).</summary>
internal static class TorchFixer
{
    private const string Description = "Pass `weights_only=True`: torch.load then unpickles only tensors and plain containers";

    public static bool Handles(string apiPath) => apiPath is "torch.load" or "torch.serialization.load";

    public static FixOutcome Propose(FixSite site)
    {
        var call = site.Call;
        if (CallArguments.HasUnpacking(call))
        {
            return FixOutcome.Because("the call unpacks arguments (`*args`/`**kwargs`), which may already set `weights_only`");
        }
        if (CallArguments.KeywordNamed(call, "pickle_module") is not null || call.Args.Count > 2)
        {
            return FixOutcome.Because("a custom `pickle_module` cannot be combined with `weights_only=True`");
        }
        if (CallArguments.KeywordNamed(call, "weights_only") is { } weightsOnly)
        {
            if (weightsOnly.Value is not ConstantExpr { Value.Type: ConstantType.False } literal)
            {
                return FixOutcome.Because("`weights_only` is computed at run time");
            }
            return CallArguments.Replace(site.Path, site.Text, literal.Span, "False", "True") is { } flip
                ? FixOutcome.With(new Fix(Description, [flip]))
                : FixOutcome.Because("the `weights_only` value could not be matched in the text");
        }
        return CallArguments.Append(site.Path, site.Text, call, "weights_only=True") is { } insertion
            ? FixOutcome.With(new Fix(Description, [insertion]))
            : FixOutcome.None;
    }
}
