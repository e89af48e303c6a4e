using PickleGuard.Analysis.Detection;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A sink a call of the function it is written in makes safe or unreachable; step 2 cannot know the callers and stays
/// medium, but a path through such a call is no path to the sink:
/// <list type="bullet">
/// <item>its safe-when argument is one of the function's own parameters (transformers' <c>def
/// load_state_dict(checkpoint_file, weights_only=True): return torch.load(checkpoint_file, weights_only=weights_only)</c>)
/// and the call gives that parameter a literal the condition accepts, or leaves it to such a default;</item>
/// <item>it takes the condition's keyword from the function's own <c>**kwargs</c>, passed on unchanged (accelerate's
/// <c>def load(f, map_location=None, **kwargs): return torch.load(f, map_location=map_location, **kwargs)</c>), and the
/// call gives that keyword an accepted literal;</item>
/// <item>the body raises first unless a parameter is true (LangChain's <c>if not allow_dangerous_deserialization: raise
/// ValueError(...)</c>), and the call gives it a false literal or leaves it to a false default.</item>
/// </list>
/// Only the function the sink is written in: a parameter handed on to a further wrapper is not followed. When the
/// source is inside that function too (diffusers' <c>load_pt(url, weights_only=True)</c> downloading <c>url</c>
/// itself), the hit waits for a call that gives the parameter something other than an accepted literal
/// (<see cref="FunctionSummary.GuardedHits"/>); with no such call in the project the sink keeps its step-2 severity.
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
        if (!IsOwnSink(callee, key))
        {
            return false;
        }
        if (SafeWhenOnCall(key) is { } condition)
        {
            var (kind, argument) = ArgumentFinder.Find(key.Call, condition.Argument);
            var given = argument is NameExpr { Id: var name } ? GivenFor(callee, call, bound, name)
                : kind == ArgumentKind.Unknowable && condition.Argument.Keyword is { } keyword && ForwardsOwnKeywords(callee, key.Call)
                    ? call.Keywords.FirstOrDefault(k => k.Arg == keyword)?.Value
                    : null;
            if (Accepts(condition, given))
            {
                return true;
            }
        }
        return RaisesUnlessGiven(callee, call, bound, key);
    }

    /// <summary>
    /// The parameter of this function that makes <paramref name="sink"/> safe by its default (its safe-when argument, a
    /// default the condition accepts): source data found here reaches it only from a call that gives another value.
    /// </summary>
    private int? SafeByOwnDefault(SinkKey sink) =>
        IsOwnSink(_unit, sink) && SafeWhenOnCall(sink) is { } condition
        && ArgumentFinder.Find(sink.Call, condition.Argument).Value is NameExpr { Id: var name }
        && OwnParameter(_unit, name) is var (index, parameter) && Accepts(condition, parameter.Default)
            ? index
            : null;

    /// <summary>The callee's guarded hits this call makes real: every one but those whose parameter it gives an accepted literal or leaves to the default.</summary>
    private void RecordGuardedHits(TaintUnit callee, CallExpr call, IReadOnlyDictionary<SinkKey, (int Parameter, TaintOrigin Origin)> hits, bool? directlyBound)
    {
        foreach (var (sink, (parameter, origin)) in hits)
        {
            var binding = callee.Function!.Scope.BindingsOf(callee.Parameters[parameter].ArgValue)[0];
            var given = directlyBound is { } bound ? ArgumentOrDefault(callee, call, bound, parameter, binding) : null;
            if (!Accepts(sink.Model.SafeWhen!, given))
            {
                _program.RecordHit(sink, origin); // the path is the callee's own: the source is inside it
            }
        }
    }

    /// <summary>A sink call written in <paramref name="unit"/>'s own body (not a reference, not in a nested function).</summary>
    private static bool IsOwnSink(TaintUnit unit, SinkKey key) =>
        key.Reference is null && unit.Function is { } function && key.Module == unit.Module && IsDirectlyIn(function, key);

    /// <summary>The sink's safe-when condition when it accepts literals of an argument of the sink call itself.</summary>
    private static ArgumentCondition? SafeWhenOnCall(SinkKey key) =>
        key.Model.SafeWhen is { Values.Count: > 0, Argument.On: CallPart.Call } condition ? condition : null;

    /// <summary>Whether <paramref name="given"/> is a literal <paramref name="condition"/> accepts.</summary>
    private static bool Accepts(ArgumentCondition condition, Expr? given) =>
        given is ConstantExpr literal && condition.Values.Any(v => SinkDetector.Matches(v, literal));

    /// <summary>The parameter <paramref name="name"/> of <paramref name="unit"/>, with its binding, when the body never rebinds it.</summary>
    private static (int Index, Semantic.Binding Parameter)? OwnParameter(TaintUnit unit, string name)
    {
        var index = unit.IndexOfParameter(name);
        return index >= 0 && unit.Scope.BindingsOf(name) is [{ Kind: Semantic.BindingKind.Parameter } parameter] ? (index, parameter) : null;
    }

    /// <summary>What the call gives (or leaves by default to) the callee's parameter <paramref name="name"/>; null when it is no parameter or the body rebinds it.</summary>
    private static Expr? GivenFor(TaintUnit callee, CallExpr call, bool bound, string name) =>
        OwnParameter(callee, name) is var (index, parameter) ? ArgumentOrDefault(callee, call, bound, index, parameter) : null;

    /// <summary>
    /// Whether the sink call's only unpacked arguments are the callee's own <c>**kwargs</c>, never rebound or changed in
    /// place (<c>kwargs["weights_only"] = False</c>, <c>kwargs.pop(...)</c>): the keywords the call gives it arrive as they are.
    /// </summary>
    private static bool ForwardsOwnKeywords(TaintUnit callee, CallExpr sinkCall)
    {
        if (callee.KwargIndex < 0 || sinkCall.Args.Any(a => a is StarredExpr)
            || sinkCall.Keywords.Where(k => k.Arg is null).ToList() is not [{ Value: NameExpr { Id: var name } }])
        {
            return false;
        }
        return OwnParameter(callee, name)?.Index == callee.KwargIndex && !callee.Function!.Footprint.MutatedNames.Contains(name);
    }

    /// <summary>
    /// Whether the body starts, before the sink, with <c>if not flag: raise ...</c> on a parameter the call gives a false
    /// literal (<c>False</c>, <c>None</c>, <c>0</c>, an empty string) or leaves to such a default: the sink never runs.
    /// </summary>
    private static bool RaisesUnlessGiven(TaintUnit callee, CallExpr call, bool bound, SinkKey key)
    {
        foreach (var statement in callee.Function!.Body)
        {
            if (statement.Span.Start >= key.Call.Span.Start)
            {
                return false;
            }
            if (statement is IfStmt { Test: UnaryOpExpr { Op: UnaryOperator.Not, Operand: NameExpr { Id: var flag } }, Body: [RaiseStmt], Orelse.Count: 0 }
                && GivenFor(callee, call, bound, flag) is ConstantExpr given && IsFalse(given))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsFalse(ConstantExpr constant) => constant.Value.Type switch
    {
        ConstantType.False or ConstantType.None => true,
        ConstantType.Int => constant.Value.AsInteger.IsZero,
        ConstantType.Str => constant.Value.AsString is "",
        _ => false,
    };

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
