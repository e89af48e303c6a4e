using PickleGuard.Analysis.Detection;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A sink whose safe-when argument is one of the enclosing function's own parameters (transformers'
/// <c>def load_state_dict(checkpoint_file, weights_only=True): return torch.load(checkpoint_file,
/// weights_only=weights_only)</c>) is safe on a call of that function that gives the parameter a literal the condition
/// accepts (<c>load_state_dict(hf_hub_download(...), weights_only=True)</c>), or leaves it out when its default is
/// one. Step 2 cannot know the callers and stays medium; a path through such a call is no path to the sink. Only the
/// function the sink is written in: a parameter handed on to a further wrapper is not followed.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary><paramref name="sinks"/> less those this call of <paramref name="callee"/> makes safe.</summary>
    private static Dictionary<SinkKey, TraceLink>? UnlessMadeSafe(TaintUnit callee, CallExpr call, bool bound, Dictionary<SinkKey, TraceLink>? sinks)
    {
        if (sinks is null)
        {
            return null;
        }
        Dictionary<SinkKey, TraceLink>? kept = null;
        foreach (var key in sinks.Keys)
        {
            if (MadeSafe(callee, call, bound, key))
            {
                kept ??= new Dictionary<SinkKey, TraceLink>(sinks);
                kept.Remove(key);
            }
        }
        return kept ?? sinks;
    }

    private static bool MadeSafe(TaintUnit callee, CallExpr call, bool bound, SinkKey key)
    {
        if (key.Model.SafeWhen is not { Values.Count: > 0, Argument.On: CallPart.Call } condition || key.Reference is not null || callee.Function is not { } function
            || key.Module != callee.Module || !IsDirectlyIn(function, key)
            || ArgumentFinder.Find(key.Call, condition.Argument).Value is not NameExpr { Id: var name })
        {
            return false;
        }
        var index = callee.Parameters.FindIndex(p => p.ArgValue == name);
        if (index < 0 || function.Scope.BindingsOf(name) is not [{ Kind: Semantic.BindingKind.Parameter } parameter])
        {
            return false; // not a parameter, or rebound in the body
        }
        return ArgumentOrDefault(callee, call, bound, index, parameter) is ConstantExpr given && condition.Values.Any(v => SinkDetector.Matches(v, given));
    }

    /// <summary>Whether the sink call is in <paramref name="function"/>'s own body, not in a function nested in it.</summary>
    private static bool IsDirectlyIn(Semantic.FunctionInfo function, SinkKey key)
    {
        var at = key.Call.Span;
        if (!Contains(function.Node.Span, at))
        {
            return false;
        }
        foreach (var other in key.Module.Functions.Values)
        {
            if (other != function && Contains(function.Node.Span, other.Node.Span) && Contains(other.Node.Span, at))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Contains(TextSpan outer, TextSpan inner) => outer.Start <= inner.Start && inner.End <= outer.End;

    /// <summary>What the call gives parameter <paramref name="index"/>, else its default; null when unpacked arguments may give it.</summary>
    private static Expr? ArgumentOrDefault(TaintUnit callee, CallExpr call, bool bound, int index, Semantic.Binding parameter) =>
        ArgumentFor(callee, call, index, bound ? 1 : 0)
        ?? (call.Args.Any(a => a is StarredExpr) || call.Keywords.Any(k => k.Arg is null) ? null : parameter.Default);
}
