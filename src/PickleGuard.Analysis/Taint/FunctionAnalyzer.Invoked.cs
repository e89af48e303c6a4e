using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// A project function a library call was given to call (<see cref="InvokedCallable"/>): it receives the call's other
    /// arguments — <c>args=(...)</c> and <c>kwargs={...}</c> where given (each item may be any parameter:
    /// <c>Thread</c>, <c>Process</c>, <c>apply_async</c>), the positional arguments after the callable in order
    /// (<c>submit(f, a, b)</c>, <c>run_in_executor(None, f, a)</c>, <c>map(f, items)</c>: an item is as tainted as its
    /// container), and the other keywords by name. Its sinks, stores and return value apply as at a direct call.
    /// </summary>
    private TaintValue ApplyInvoked(InvokedCallable invoked, CallExpr call, TaintValue[] positional, TaintValue[] keywords)
    {
        var tainted = AnyTainted(positional) || AnyTainted(keywords);
        return ApplySummary(invoked.Unit, UnknownReceiver, UnknownReceiver, call,
            tainted ? InvokedArguments(invoked, call, positional, keywords) : [], tainted ? Text(call.Func) : null);
    }

    private static List<(int Parameter, TaintValue Value)> InvokedArguments(InvokedCallable invoked, CallExpr call, TaintValue[] positional, TaintValue[] keywords)
    {
        var unit = invoked.Unit;
        var first = invoked.Bound ? 1 : 0;
        var arguments = new List<(int, TaintValue)>();
        void ToEveryParameter(TaintValue value)
        {
            for (var p = first; p < unit.Parameters.Count; p++)
            {
                arguments.Add((p, value));
            }
        }
        var callableAt = -1;
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (ReferenceEquals(call.Args[i], invoked.Callable))
            {
                callableAt = i;
                continue;
            }
            if (callableAt < 0)
            {
                continue;
            }
            var parameter = first + i - callableAt - 1;
            if (call.Args[i] is StarredExpr)
            {
                ToEveryParameter(positional[i]);
            }
            else if (parameter < unit.PositionalCount)
            {
                arguments.Add((parameter, positional[i]));
            }
            else if (unit.VarargIndex >= 0)
            {
                arguments.Add((unit.VarargIndex, positional[i]));
            }
        }
        for (var k = 0; k < call.Keywords.Count; k++)
        {
            var keyword = call.Keywords[k];
            if (ReferenceEquals(keyword.Value, invoked.Callable))
            {
                continue;
            }
            if (keyword.Arg is null or "args" or "kwargs")
            {
                ToEveryParameter(keywords[k]);
                continue;
            }
            var index = unit.IndexOfParameter(keyword.Arg);
            if (index >= first)
            {
                arguments.Add((index, keywords[k]));
            }
            else if (unit.KwargIndex >= 0)
            {
                arguments.Add((unit.KwargIndex, keywords[k]));
            }
        }
        return arguments;
    }
}
