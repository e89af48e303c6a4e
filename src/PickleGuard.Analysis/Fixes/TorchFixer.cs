using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>
/// PG104: <c>torch.load(f)</c> gets <c>weights_only=True</c> (or <c>weights_only=False</c> becomes <c>True</c>); so do
/// <c>torch.hub.load_state_dict_from_url(url)</c> and <c>torch.utils.model_zoo.load_url(url)</c>, which load the
/// download with <c>torch.load</c>.
/// </summary>
internal static class TorchFixer
{
    private const string Description = "Pass `weights_only=True`: torch.load then unpickles only tensors and plain containers";

    /// <summary>The hub loaders' positional parameters before <c>weights_only</c> (url, model_dir, map_location, progress, check_hash, file_name).</summary>
    private const int HubPositionals = 6;

    public static bool Handles(string apiPath) => apiPath is "torch.load" or "torch.serialization.load" || IsHubLoader(apiPath);

    private static bool IsHubLoader(string apiPath) => apiPath is "torch.hub.load_state_dict_from_url" or "torch.utils.model_zoo.load_url";

    public static FixOutcome Propose(FixSite site)
    {
        var call = site.Call;
        var weightsOnly = CallArguments.KeywordNamed(call, "weights_only");
        // Given by name, `weights_only` is what it says whatever the unpacked arguments hold (twice would raise TypeError).
        if (weightsOnly is { Value: not ConstantExpr { Value.Type: ConstantType.False } })
        {
            return FixOutcome.Because(DefaultedParameter(site, weightsOnly.Value) ?? "`weights_only` is computed at run time");
        }
        if (weightsOnly is null && (ForcedWeightsOnly(site) ?? ChosenWeightsOnly(site)) is { } given)
        {
            return FixOutcome.Because(given);
        }
        if (CallArguments.HasUnpacking(call))
        {
            return FixOutcome.Because("the call unpacks arguments (`*args`/`**kwargs`), which may already set `weights_only`");
        }
        if (IsHubLoader(site.ApiPath))
        {
            if (call.Args.Count > HubPositionals)
            {
                return FixOutcome.Because("`weights_only` is passed by position");
            }
        }
        else if (CallArguments.KeywordNamed(call, "pickle_module") is not null || call.Args.Count > 2)
        {
            return FixOutcome.Because("a custom `pickle_module` cannot be combined with `weights_only=True`");
        }
        if (weightsOnly?.Value is ConstantExpr literal)
        {
            return CallArguments.Replace(site.Path, site.Text, literal.Span, "False", "True") is { } flip
                ? FixOutcome.With(new Fix(Description, [flip]))
                : FixOutcome.Because("the `weights_only` value could not be matched in the text");
        }
        return CallArguments.Append(site.Path, site.Text, call, "weights_only=True") is { } insertion
            ? FixOutcome.With(new Fix(Description, [insertion]))
            : FixOutcome.None;
    }

    /// <summary>
    /// What <c>weights_only=NAME</c> holds when NAME is a parameter of the function the call is in, never rebound, with a
    /// literal default (PEFT's <c>def torch_load(*args, weights_only=True, **kwargs)</c>): that default unless a caller
    /// passes another value, which the call itself cannot change; null otherwise.
    /// </summary>
    private static string? DefaultedParameter(FixSite site, Expr value)
    {
        var scope = site.CallSite.Scope;
        if (value is not NameExpr { Id: var name } || scope.BindingsOf(name) is not [{ Kind: BindingKind.Parameter, Default: ConstantExpr literal }]
            || !site.Module.Functions.TryGetValue(scope.Node, out var function))
        {
            return null;
        }
        var written = site.Text[literal.Span.Start..literal.Span.End];
        return $"`weights_only` is the parameter '{name}' of '{function.Name}', `{written}` unless a caller passes another value";
    }

    /// <summary>
    /// Why the call is left as it is when a <c>**name</c> unpacks a dict chosen by a condition, one side giving
    /// <c>weights_only</c> and the other not (<c>{"weights_only": True} if use_safe else {}</c>, or a version test the
    /// finding did not take as one: <c>is_torch_version("&gt;=", "2.0")</c>): the choice is the code's, not an unknown
    /// dict's; null when no such dict is unpacked.
    /// </summary>
    private static string? ChosenWeightsOnly(FixSite site)
    {
        foreach (var splat in site.Call.Keywords)
        {
            if (splat is not { Arg: null, Value: NameExpr owner }
                || site.CallSite.Scope.BindingsOf(owner.Id) is not [{ Kind: BindingKind.Assignment, Value: IfExpr choice } binding]
                || GivesWeightsOnly(choice.Body) == GivesWeightsOnly(choice.Orelse))
            {
                continue;
            }
            var line = site.Module.Source.GetLinePosition(binding.Node.Span.Start).Line;
            var test = site.Text[choice.Test.Span.Start..choice.Test.Span.End];
            var side = GivesWeightsOnly(choice.Body) ? "true" : "false";
            return $"`weights_only` comes from `**{owner.Id}`, which gives it only when `{test}` is {side} (line {line})";
        }
        return null;
    }

    private static bool GivesWeightsOnly(Expr side) =>
        side is DictExpr display && display.Keys.Any(k => k is ConstantExpr { Value.Type: ConstantType.Str } key && key.Value.AsString == "weights_only");

    /// <summary>
    /// Why the call is left as it is when the function stores <c>weights_only</c> in the dict it unpacks just before
    /// (sktime's wrapper replacing <c>torch.load</c>: <c>kwargs["weights_only"] = False</c>); null when it does not.
    /// </summary>
    private static string? ForcedWeightsOnly(FixSite site)
    {
        foreach (var splat in site.Call.Keywords)
        {
            if (splat is { Arg: null, Value: NameExpr owner } && ForcedKeywords.Find(site.CallSite.Scope, site.Call, owner.Id, "weights_only") is var (store, value))
            {
                var line = site.Module.Source.GetLinePosition(store.Span.Start).Line;
                var written = site.Text[value.Span.Start..value.Span.End];
                return $"the function sets `weights_only={written}` in the `**{owner.Id}` it passes (line {line}), whatever its callers give";
            }
        }
        return null;
    }
}
