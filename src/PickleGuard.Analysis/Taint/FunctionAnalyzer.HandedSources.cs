using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A source handed to a project function as the callable it calls (<see cref="HandedSource"/>, found by
/// ProjectIndex.HandedSources.cs): where the callee's summary says its return comes from that parameter
/// (<c>return createfunc(*args)</c>, also through helpers it passes the parameter on to), the call returns what
/// calling the source makes: a Redis client from <c>clients.get(url, redis.StrictRedis.from_url, url)</c>, whose
/// reads are the server's data.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    private TaintValue MadeByHandedSources(CallExpr call, CallInfo info, HandedSource[] handed)
    {
        var result = TaintValue.Clean;
        foreach (var (unit, bound) in info.Functions)
        {
            var offset = (bound ? 1 : 0) + info.BoundPositionals;
            foreach (var source in handed)
            {
                if (ParameterBoundBy(unit, call, source.Argument, offset) is >= 0 and var parameter && unit.Summary.TryGetReturn(parameter, out _))
                {
                    result = result.Join(SourceTaint(ReceivedKind(source.Model, call), source.Name, source.Argument, source.Model.Attributes)
                        .Step(_module, call.Span.Start, $"'{unit.Name}' returns what calling it makes"));
                }
            }
        }
        return result;
    }

    /// <summary>The parameter of <paramref name="callee"/> that <paramref name="argument"/> binds at this call, or -1.</summary>
    private static int ParameterBoundBy(TaintUnit callee, CallExpr call, Expr argument, int offset)
    {
        for (var parameter = offset; parameter < callee.Parameters.Length; parameter++)
        {
            if (ReferenceEquals(ArgumentFor(callee, call, parameter, offset), argument))
            {
                return parameter;
            }
        }
        return -1;
    }
}
