using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Guards in a helper: <c>def verify(sig, data): return hmac.compare_digest(sig, hmac.new(KEY, data, sha256).hexdigest())</c>
/// authenticates <c>data</c> when it returns true, so <c>if not verify(request.headers["X-Sig"], body): abort(403)</c>
/// verifies <c>body</c> after it, as the check written in place would.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Some guard verified data in this analysis (until one has, no exit can have a verified parameter).</summary>
    private bool _guardsVerified;

    /// <summary>The parameters verified at every exit seen so far, with why; null before the first exit.</summary>
    private Dictionary<int, string>? _verifiedAtExits;

    /// <summary>No parameter verified at an exit: shared, never modified.</summary>
    private static readonly Dictionary<int, string> NoVerifiedExits = [];

    /// <summary>
    /// A normal return (<c>return</c>, or the end of the body): keeps, of the parameters verified at every earlier exit,
    /// those the state here holds verified — the parameter's own data, authenticated by a guard on every path here.
    /// </summary>
    private void NoteExit()
    {
        if (_verifiedAtExits is { Count: 0 } || _unit.Function is null)
        {
            return;
        }
        if (!_guardsVerified)
        {
            _verifiedAtExits = NoVerifiedExits; // most functions verify nothing: no table of their own
            return;
        }
        var here = new Dictionary<int, string>();
        for (var p = _unit.TakesReceiver ? 1 : 0; p < _unit.Parameters.Length; p++)
        {
            if (_state.TryGet(_unit.Parameters[p].ArgValue, out var held) && VerifiedParameter(held.Whole, p) is { } reason
                && (_verifiedAtExits is null || _verifiedAtExits.ContainsKey(p)))
            {
                here[p] = reason;
            }
        }
        _verifiedAtExits = here;
    }

    /// <summary>Why <paramref name="value"/> holds parameter <paramref name="parameter"/>'s data only verified, or null.</summary>
    private static string? VerifiedParameter(TaintValue value, int parameter)
    {
        string? reason = null;
        foreach (var origin in value.Origins)
        {
            if (origin.Parameter == parameter)
            {
                if (origin.Verified is null)
                {
                    return null;
                }
                reason ??= origin.Verified;
            }
        }
        return reason;
    }

    /// <summary>
    /// After a call of the one project function <paramref name="callee"/> that raises unless some parameters are authentic
    /// (<see cref="FunctionSummary.VerifiedAtExit"/>), the arguments passed for them are verified here.
    /// </summary>
    private void VerifyCheckedArguments(TaintUnit callee, bool bound, CallExpr call)
    {
        if (callee.Summary.VerifiedAtExit is not { Count: > 0 } verified)
        {
            return;
        }
        foreach (var (parameter, reason) in verified)
        {
            if (ArgumentFor(callee, call, parameter, bound ? 1 : 0) is { } argument)
            {
                VerifyGuarded([argument], _state, $"{reason} (the check is in '{callee.Name}', which raises otherwise)");
            }
        }
    }

    /// <summary>
    /// The arguments a call to a verifying function authenticates (<see cref="FindVerifiedParameters"/>), or null when
    /// the callee is not one project function that verifies some parameter.
    /// </summary>
    private List<Expr>? VerifierArguments(CallExpr call)
    {
        if (_program.Index.CallOf(_module, call) is not { } info || info.Functions.Length != 1)
        {
            return null;
        }
        var (unit, bound) = info.Functions[0];
        // Made once per function, from its syntax and its calls' resolution (a race makes it twice, the same).
        var verified = unit.VerifiedParameters ??= new FunctionAnalyzer(_program, unit).FindVerifiedParameters();
        if (verified.Length == 0)
        {
            return null;
        }
        var offset = bound ? 1 : 0;
        var arguments = new List<Expr>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (call.Args[i] is not StarredExpr && Array.IndexOf(verified, i + offset) >= 0)
            {
                arguments.Add(call.Args[i]);
            }
        }
        foreach (var keyword in call.Keywords)
        {
            if (keyword.Arg is { } name && unit.IndexOfParameter(name) is >= 0 and var index && Array.IndexOf(verified, index) >= 0)
            {
                arguments.Add(keyword.Value);
            }
        }
        return arguments;
    }

    /// <summary>
    /// The parameters this function authenticates when it returns true: every <c>return</c> gives a modelled check
    /// (<c>hmac.compare_digest</c>), an HMAC compared with <c>==</c>, or a false constant (<c>return False</c> when the
    /// signature is missing), or a hand-written constant-time comparison of its two parameters (bottle's <c>_lscmp</c>),
    /// and the checks name the parameter (also through a name bound once to a MAC of it).
    /// </summary>
    private int[] FindVerifiedParameters()
    {
        if (_unit.Function is null || _unit.LambdaBody is not null)
        {
            return [];
        }
        var checkedExprs = new List<Expr>();
        var comparedByHand = false;
        foreach (var statement in ReturnCollector.Of(_unit.Body))
        {
            switch (statement.Value)
            {
                case null or ConstantExpr { Value.Type: ConstantType.False or ConstantType.None }:
                    break;
                case CallExpr call when _program.Index.CallOf(_module, call)?.Guard is { Effect: SanitizerEffect.Guard }:
                    checkedExprs.AddRange(call.Args);
                    checkedExprs.AddRange(call.Keywords.Select(k => k.Value));
                    break;
                case CompareExpr { Ops: [CompareOperator.Eq] } compare when IsMac(compare.Left) || IsMac(compare.Comparators[0]):
                    checkedExprs.Add(IsMac(compare.Left) ? compare.Left : compare.Comparators[0]);
                    break;
                case var value when ComparesParametersByHand(value):
                    comparedByHand = true; // as `hmac.compare_digest(a, b)`: both parameters (FunctionAnalyzer.HandWrittenComparisons.cs)
                    break;
                default:
                    return []; // some return says true without a check
            }
        }
        var names = GuardedData(checkedExprs).Names;
        if (comparedByHand)
        {
            names.Add(_unit.Parameters[^2].ArgValue); // the two parameters compared (ComparesParametersByHand)
            names.Add(_unit.Parameters[^1].ArgValue);
        }
        return [.. Enumerable.Range(0, _unit.Parameters.Length).Where(i => names.Contains(_unit.Parameters[i].ArgValue))];
    }
}
