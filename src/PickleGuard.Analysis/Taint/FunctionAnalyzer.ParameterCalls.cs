using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A callable handed down through helpers to the one that calls it (InvokeAI's LaMa: <c>load_remote_model(url,
/// loader=LaMA.load_jit_model)</c> downloads the file and passes the path and the loader to
/// <c>load_model_from_path(path, loader=loader)</c>, which calls <c>loader(path)</c>). A callee's summary says what it
/// calls a parameter with (<see cref="FunctionSummary.AddParameterCall"/>); at a call of it, that data — its
/// parameters' data as this call's arguments hold it — goes to what the argument for the parameter is: a project
/// function (<see cref="ApplyInvoked"/>), a deserializer passed as a callable (<see cref="CheckSinks"/>), or a parameter
/// of this function, handed on (<see cref="RelayParameterCalls"/>), up to <see cref="MaxParameterCallRelays"/> helpers.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// Helpers above the one calling a parameter through which what they are passed for it is followed (InvokeAI's
    /// LaMa loader goes through one; as many as a safe flag, <see cref="SafeFlag.MaxRelays"/>).
    /// </summary>
    public const int MaxParameterCallRelays = SafeFlag.MaxRelays;

    /// <summary>
    /// What <paramref name="callee"/> calls the parameter the argument <paramref name="argument"/> binds at this call
    /// with, by the position of that call's argument: source data, and its parameters' data as this call's arguments
    /// hold it, with the path through the callee.
    /// </summary>
    private List<(int Position, TaintValue Value)>? CalledWith(TaintUnit callee, int offset, CallExpr call, Expr argument, TaintValue[] positional, TaintValue[] keywords)
    {
        List<(int, TaintValue)>? result = null;
        foreach (var ((parameter, position), entry) in ParameterCallEntries(callee))
        {
            if (ReferenceEquals(ArgumentFor(callee, call, parameter, offset), argument)
                && Mapped(callee, call, positional, keywords, offset, entry) is { IsClean: false } value)
            {
                (result ??= []).Add((position, value));
            }
        }
        return result;
    }

    /// <summary>
    /// <c>load_remote(url, loader=torch.jit.load)</c>: what the project functions called call the parameter the
    /// deserializer <paramref name="callable"/> is passed as with, which it decodes.
    /// </summary>
    private TaintValue CalledWith(CallInfo info, CallExpr call, Expr callable, TaintValue[] positional, TaintValue[] keywords)
    {
        var result = TaintValue.Clean;
        foreach (var (callee, bound) in info.Functions)
        {
            if (callee.Summary.ParameterCalls is null)
            {
                continue;
            }
            foreach (var (_, value) in CalledWith(callee, (bound ? 1 : 0) + info.BoundPositionals, call, callable, positional, keywords) ?? [])
            {
                result = result.Join(value.Step(_module, call.Span.Start, $"'{callee.Name}' calls it with that"));
            }
        }
        return result;
    }

    /// <summary>
    /// <c>load_from_path(path, loader=loader)</c> where <c>loader</c> is a parameter of this function and the callee
    /// calls its own with the path: this function calls its parameter with what the path holds here (the download's
    /// data, or a parameter's, for its callers to give), one helper more from the call.
    /// </summary>
    private void RelayParameterCalls(TaintUnit callee, int offset, CallExpr call, TaintValue[] positional, TaintValue[] keywords)
    {
        if (callee.Summary.ParameterCalls is null)
        {
            return; // most functions call no parameter
        }
        foreach (var ((parameter, position), entry) in ParameterCallEntries(callee))
        {
            if (callee.Summary.ParameterCallRelays(parameter) is var relays && relays >= MaxParameterCallRelays
                || ArgumentFor(callee, call, parameter, offset) is not NameExpr { Id: var name }
                || !PassesParameterOn(name) || _unit.IndexOfParameter(name) is not (>= 0 and var own)
                || Mapped(callee, call, positional, keywords, offset, entry).Select(static o => o.IsSource || o.Parameter >= 0 ? o : null) is not { IsClean: false } value)
            {
                continue;
            }
            _unit.OwnSummary.AddParameterCall(own, position, value.Step(_module, call.Span.Start, CallsItsParameter(callee, parameter)), relays + 1);
        }
    }

    /// <summary>Whether <paramref name="name"/> is a parameter this function passes whole to a call, first or among the arguments (<see cref="Semantic.CodeFootprint"/>).</summary>
    private bool PassesParameterOn(string name) => _unit.Footprint.RelayedParameters.Contains(name) || _unit.Footprint.CalledParameters.Contains(name);

    /// <summary>The callee's parameter-call entries; a copy when it is this function, whose summary the relay may write.</summary>
    private IEnumerable<KeyValuePair<(int Parameter, int Position), TaintValue>> ParameterCallEntries(TaintUnit callee) =>
        callee.Summary.ParameterCalls is not { } calls ? [] : callee == _unit ? calls.ToArray() : calls;

    /// <summary>The step at a call of <paramref name="callee"/> that calls its parameter <paramref name="parameter"/> with the data.</summary>
    private static string CallsItsParameter(TaintUnit callee, int parameter) =>
        $"'{callee.Name}' calls its parameter '{callee.Parameters[parameter].ArgValue}' with it";
}
