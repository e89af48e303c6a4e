using PickleGuard.Analysis.Detection;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A sink a call of the function it is written in makes safe or unreachable; step 2 cannot know the callers and stays
/// medium, but a path through such a call is no path to the sink. The function's <see cref="SafeFlag"/>s for the sink
/// (FunctionAnalyzer.SafeFlags.cs) say what the call must give:
/// <list type="bullet">
/// <item>its safe-when argument is one of the function's own parameters (transformers' <c>def
/// load_state_dict(checkpoint_file, weights_only=True): return torch.load(checkpoint_file, weights_only=weights_only)</c>)
/// and the call gives that parameter a literal the condition accepts, or leaves it to such a default;</item>
/// <item>it takes the condition's keyword from the function's own <c>**kwargs</c>, passed on unchanged (accelerate's
/// <c>def load(f, map_location=None, **kwargs): return torch.load(f, map_location=map_location, **kwargs)</c>), and the
/// call gives that keyword an accepted literal;</item>
/// <item>a test of a parameter keeps the sink from running (LangChain's <c>if not allow_dangerous_deserialization: raise
/// ValueError(...)</c> before it, timm's <c>if not weights_only: torch.load(f)</c> around it), and the call gives the
/// parameter a literal that fails the test or leaves it to such a default.</item>
/// </list>
/// A wrapper handing its own parameter on for such a flag (<c>weights_only=weights_only</c>, timm's
/// <c>load_state_dict_from_hf</c>), with a default the flag accepts, takes the flag over: its callers decide, as they
/// would for the sink's own function (up to <see cref="SafeFlag.MaxRelays"/> wrappers; the flags a summary keeps for
/// its parameter → sink entries, <see cref="FunctionSummary.FlagOf"/>). When the source is inside the function holding
/// the flag (diffusers' <c>load_pt(url, weights_only=True)</c> downloading <c>url</c> itself; timm's download before
/// the call), the hit waits for a call that gives the parameter something else (<see cref="FunctionSummary.GuardedHits"/>);
/// with no such call in the project the sink keeps its step-2 severity.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// <paramref name="sinks"/> (what <paramref name="callee"/>'s <paramref name="parameter"/> reaches) less those this
    /// call makes safe; <paramref name="relayed"/> gets the sinks whose flag the call hands on from a parameter of this
    /// function (<see cref="Judge"/>), with this function's flag.
    /// </summary>
    private Dictionary<SinkKey, TraceLink>? UnlessMadeSafe(TaintUnit callee, int parameter, CallExpr call, bool bound, Dictionary<SinkKey, TraceLink>? sinks,
        out Dictionary<SinkKey, SafeFlag>? relayed)
    {
        relayed = null;
        if (sinks is null)
        {
            return null;
        }
        Dictionary<SinkKey, TraceLink>? left = null;
        foreach (var key in sinks.Keys)
        {
            SafeFlag? flag = null;
            if (IsOwnSink(callee, key) ? MadeSafe(callee, call, bound, key, out flag)
                : callee.Summary.FlagOf(parameter, key) is { } kept && Judge(callee, call, bound, key, kept, out flag))
            {
                left ??= new Dictionary<SinkKey, TraceLink>(sinks);
                left.Remove(key);
            }
            else if (flag is { } handedOn)
            {
                (relayed ??= [])[key] = handedOn;
            }
        }
        return left ?? sinks;
    }

    /// <summary>Whether this call makes a sink written in <paramref name="callee"/> safe by one of its flags; else the first flag it hands on.</summary>
    private bool MadeSafe(TaintUnit callee, CallExpr call, bool bound, SinkKey key, out SafeFlag? relayed)
    {
        relayed = null;
        foreach (var flag in OwnFlags(callee, key))
        {
            if (Judge(callee, call, bound, key, flag, out var handedOn))
            {
                relayed = null;
                return true;
            }
            relayed ??= handedOn;
        }
        return false;
    }

    /// <summary>
    /// Whether this call gives <paramref name="callee"/>'s <paramref name="flag"/> a literal that makes <paramref name="sink"/>
    /// safe (or leaves it to such a default). If not, and it gives it a parameter of this function by name — never rebound,
    /// with a default that would make the sink safe, the flag fewer than <see cref="SafeFlag.MaxRelays"/> wrappers from the
    /// sink — <paramref name="relayed"/> is that parameter's flag: the sink is as safe as this function's callers make it.
    /// </summary>
    private bool Judge(TaintUnit callee, CallExpr call, bool bound, SinkKey sink, SafeFlag flag, out SafeFlag? relayed)
    {
        relayed = null;
        var (given, fromCall) = Given(callee, call, bound, flag);
        if (flag.MakesSafe(sink, given, flag.Test == SafeFlagTest.NoFileObject ? FileObjectsAt(call) : null))
        {
            return true;
        }
        if (fromCall && flag.Relays < SafeFlag.MaxRelays && given is NameExpr { Id: var name }
            && OwnParameter(_unit, name) is var (index, parameter) && flag.MakesSafe(sink, parameter.Default))
        {
            relayed = flag with { Parameter = index, Relays = flag.Relays + 1, Keyword = null };
        }
        return false;
    }

    /// <summary>
    /// What the call gives <paramref name="flag"/> and whether the call wrote it (not the parameter's default); null
    /// when unpacked arguments may give it (a <c>**</c> of known keys without it does not), or when a keyword of the
    /// callee's <c>**kwargs</c> is not given.
    /// </summary>
    private (Expr? Given, bool FromCall) Given(TaintUnit callee, CallExpr call, bool bound, SafeFlag flag)
    {
        if (flag.Keyword is { } keyword)
        {
            return (call.Keywords.FirstOrDefault(k => k.Arg == keyword)?.Value, true);
        }
        var offset = bound ? 1 : 0;
        if (ArgumentFor(callee, call, flag.Parameter, offset) is { } argument)
        {
            return (argument, true);
        }
        var name = callee.Parameters[flag.Parameter].ArgValue;
        return StarredMayGive(callee, call, flag.Parameter, offset) || call.Keywords.Any(k => k.Arg is null && UnpackedMayGive(k.Value, name))
            || OwnParameter(callee, name) is not var (_, parameter)
            ? (null, false)
            : (parameter.Default, false);
    }

    /// <summary>
    /// Whether a <c>**</c> argument of a call here may give the keyword <paramref name="name"/>: unless it unpacks a dict
    /// whose keys are all known and none is that name — a local dict (<see cref="KnownKeys"/>), or this function's own
    /// <c>**kwargs</c> when every call of it is known (<see cref="ForwardedKeys"/>; open_clip's
    /// <c>push_pretrained_to_hf_hub(..., **kwargs)</c> handing them to a loader whose <c>weights_only</c> defaults to True).
    /// </summary>
    private bool UnpackedMayGive(Expr unpacked, string name) =>
        (ForwardedKeys(unpacked) ?? KnownKeys.Of(unpacked, _unit.Scope)) is not { } keys || keys.Contains(name);

    /// <summary>
    /// Whether a <c>*</c> argument of the call may fill the callee's <paramref name="parameter"/>: never a keyword-only
    /// one, nor one past every positional argument when each <c>*</c> argument's length is known
    /// (<see cref="PositionalArgumentCount"/>; <paramref name="offset"/> is 1 for a call binding the receiver).
    /// </summary>
    private bool StarredMayGive(TaintUnit callee, CallExpr call, int parameter, int offset)
    {
        if (!call.Args.Any(a => a is StarredExpr) || (parameter >= callee.PositionalCount && parameter != callee.VarargIndex))
        {
            return false;
        }
        return PositionalArgumentCount(call) is not { } count || parameter - offset < count;
    }

    /// <summary>
    /// The flag of this function that makes <paramref name="sink"/>, written in its body, safe by its default: source data
    /// found here reaches it only from a call that gives another value.
    /// </summary>
    private SafeFlag? OwnDefaultFlag(SinkKey sink)
    {
        if (!IsOwnSink(_unit, sink))
        {
            return null;
        }
        foreach (var flag in OwnFlags(_unit, sink))
        {
            if (flag.Keyword is null && OwnParameter(_unit, _unit.Parameters[flag.Parameter].ArgValue) is var (_, parameter) && flag.MakesSafe(sink, parameter.Default))
            {
                return flag;
            }
        }
        return null;
    }

    /// <summary>
    /// The callee's guarded hits this call makes real: every one but those whose flag it gives an accepted literal or
    /// leaves to the default, and those whose flag it hands on from a parameter of this function, which become this
    /// function's guarded hits.
    /// </summary>
    private void RecordGuardedHits(TaintUnit callee, CallExpr call, IReadOnlyDictionary<SinkKey, (SafeFlag Flag, TaintOrigin Origin)> hits, bool? directlyBound,
        (List<CallExpr> Calls, bool Bound)? calledBy)
    {
        foreach (var (sink, (flag, origin)) in hits)
        {
            SafeFlag? relayed = null;
            if (directlyBound is { } bound && Judge(callee, call, bound, sink, flag, out relayed) || calledBy is { } calls && CalledSafely(callee, sink, flag, calls))
            {
                continue;
            }
            if (relayed is not { } handedOn || !_unit.OwnSummary.AddGuardedHit(sink, handedOn, origin))
            {
                _program.RecordHit(sink, origin); // the path is the callee's own: the source is inside it
            }
        }
    }

    /// <summary>A sink call written in <paramref name="unit"/>'s own body (not a reference, not in a nested function).</summary>
    private static bool IsOwnSink(TaintUnit unit, SinkKey key) =>
        key.Reference is null && unit.Function is { } function && key.Module == unit.Module && IsDirectlyIn(function, key.Module, key.Call.Span);

    /// <summary>The sink's safe-when condition when it accepts literals of an argument of the sink call itself.</summary>
    private static ArgumentCondition? SafeWhenOnCall(SinkKey key) =>
        key.Model.SafeWhen is { Values.Count: > 0, Argument.On: CallPart.Call } condition ? condition : null;

    /// <summary>The sink's safe-when condition when it accepts literals of an argument of the call that made its object (ruamel's <c>YAML(typ=...)</c>).</summary>
    private static ArgumentCondition? SafeWhenOnConstructor(SinkKey key) =>
        key.Model.SafeWhen is { Values.Count: > 0, Argument.On: CallPart.Constructor } condition ? condition : null;

    /// <summary>The parameter <paramref name="name"/> of <paramref name="unit"/>, with its binding, when the body never rebinds it.</summary>
    private static (int Index, Semantic.Binding Parameter)? OwnParameter(TaintUnit unit, string name)
    {
        var index = unit.IndexOfParameter(name);
        return index >= 0 && unit.Scope.BindingsOf(name) is [{ Kind: Semantic.BindingKind.Parameter } parameter] ? (index, parameter) : null;
    }

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

    /// <summary>Whether the code at <paramref name="at"/> in <paramref name="module"/> is in <paramref name="function"/>'s own body, not in a function nested in it.</summary>
    private static bool IsDirectlyIn(Semantic.FunctionInfo function, Semantic.ModuleModel module, TextSpan at)
    {
        if (module != function.Scope.Module || !Contains(function.Node.Span, at))
        {
            return false;
        }
        foreach (var other in module.Functions.Values)
        {
            if (other != function && Contains(function.Node.Span, other.Node.Span) && Contains(other.Node.Span, at))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Contains(TextSpan outer, TextSpan inner) => outer.Start <= inner.Start && inner.End <= outer.End;
}
