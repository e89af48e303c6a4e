using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A guard that verifies a local holding data of unknown origin — paperless-ngx's classifier file: <c>raw =
/// Path(settings.MODEL_FILE).read_bytes()</c>, <c>if not hmac.compare_digest(raw[:32], hmac.new(key, data,
/// sha256).digest()): raise</c>, then <c>pickle.loads(data)</c>. No origin stands for such data, so the check is kept as
/// a fact of the state (<see cref="TaintState.VerifySource"/>: held on every path only), and a sink decoding the local
/// where the fact holds, with no binding of the local after the guard, is a low hit: the step-2 finding ("whose origin
/// is unknown") says the data was verified, as for a verified parameter.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// Marks the local <paramref name="name"/>, which holds no tracked data, verified by the guard of
    /// <paramref name="checkedExprs"/> in <paramref name="state"/> — unless a binding of it in the function comes after
    /// the guard: then a sink may decode another value than the one checked (a loop binding it again after the sink, or
    /// any later binding).
    /// </summary>
    private void VerifyUnknownLocal(TaintState state, string name, IEnumerable<Expr> checkedExprs, string reason)
    {
        if (_unit.Function is null || !IsLocal(name))
        {
            return;
        }
        var guard = checkedExprs.Select(e => e.Span.Start).DefaultIfEmpty(0).Min();
        if (!_unit.Scope.BindingsOf(name).Any(binding => binding.Offset >= guard))
        {
            state.VerifySource(VerifiedLocalKey(name), reason);
        }
    }

    /// <summary>
    /// Records the low hit of <see cref="TaintOrigin.VerifiedUnknownIndex"/> when <paramref name="local"/>, decoded by
    /// <paramref name="sink"/>, was verified on every path here (<see cref="VerifyUnknownLocal"/>).
    /// </summary>
    private void RecordVerifiedUnknown(SinkKey sink, NameExpr local)
    {
        if (!_state.HasVerifiedSources || _state.VerifiedSource(VerifiedLocalKey(local.Id)) is not { } reason)
        {
            return;
        }
        var trace = TraceLink.Start(_module, local.Span.Start, $"'{local.Id}', whose origin is unknown; {reason}")
            .Then(_module, sink.At.Span.Start, $"reaches `{sink.Display}` ({sink.Model.Rule})", Core.TraceStepKind.Sink);
        _program.RecordHit(sink, new TaintOrigin("", local.Id, TaintOrigin.VerifiedUnknownIndex, null, reason, trace));
    }

    /// <summary>The key of a verified local among the state's verified source texts (no expression's text has a NUL).</summary>
    private static string VerifiedLocalKey(string name) => "\0" + name;
}
