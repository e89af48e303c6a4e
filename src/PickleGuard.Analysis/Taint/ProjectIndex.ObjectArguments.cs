namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What an object source passed for a parameter (a view's <c>request</c>) brings to a project function: its data only
/// through the attributes the function reads on the parameter, also where it hands the parameter on to another
/// project function (<c>def callback(request): return flow_for(request)</c>), which reads attributes of its own.
/// </summary>
internal sealed partial class ProjectIndex
{
    private const int MaxHandOffs = 4;

    /// <summary>
    /// The attributes <paramref name="unit"/> reads on its parameter <paramref name="parameter"/>, and those of them it
    /// calls, its callees' reads included where it hands the parameter on to them; null when it, or a callee, uses the
    /// parameter otherwise (<see cref="AttributeReads.OnParameter(TaintUnit, string)"/>), hands it to something that is
    /// no project function, or the hand-offs go more than <see cref="MaxHandOffs"/> deep or around a cycle.
    /// </summary>
    public AttributeUses? ParameterUsesOf(TaintUnit unit, int parameter) => UsesOf(unit, parameter, []).Uses;

    /// <summary>
    /// Only complete answers are kept on the unit (no depth limit or cycle cut them short): a kept answer is the same
    /// whichever thread or caller found it first.
    /// </summary>
    private (AttributeUses? Uses, bool Complete) UsesOf(TaintUnit unit, int parameter, HashSet<(TaintUnit, int)> path)
    {
        if (unit.AttributeUsesKnown(parameter) is { } known)
        {
            return (known.Attributes is null ? null : known, true);
        }
        if (path.Count >= MaxHandOffs || !path.Add((unit, parameter)))
        {
            return (null, false);
        }
        var (uses, complete) = Combine(unit, parameter, path);
        path.Remove((unit, parameter));
        if (complete)
        {
            unit.KeepAttributeUses(parameter, uses ?? AttributeUses.Otherwise);
        }
        return (uses, complete);
    }

    private (AttributeUses? Uses, bool Complete) Combine(TaintUnit unit, int parameter, HashSet<(TaintUnit, int)> path)
    {
        if (parameter == unit.VarargIndex || parameter == unit.KwargIndex || AttributeReads.OnParameter(unit, unit.Parameters[parameter].ArgValue) is not var (own, called, handedTo))
        {
            return (null, true);
        }
        var attributes = new HashSet<string>(own, StringComparer.Ordinal);
        var calledAttributes = new HashSet<string>(called, StringComparer.Ordinal);
        var complete = true;
        foreach (var (call, argument) in handedTo)
        {
            if (CallOf(unit.Module, call) is not { Functions.IsEmpty: false } info || !info.Classes.IsEmpty || info.PassesThrough
                || info.Invoked is not null || !info.Sinks.IsEmpty || info.Source is not null)
            {
                return (null, true);
            }
            foreach (var (callee, bound) in info.Functions)
            {
                var target = ParameterFor(callee, bound, info.BoundPositionals, call, argument);
                var (uses, whole) = target < 0 ? (null, true) : UsesOf(callee, target, path);
                complete &= whole;
                if (uses is null)
                {
                    return (null, complete);
                }
                attributes.UnionWith(uses.Attributes!);
                calledAttributes.UnionWith(uses.Called!);
            }
        }
        return (new AttributeUses(attributes, calledAttributes), complete);
    }

    /// <summary>The parameter of <paramref name="callee"/> that argument <paramref name="argument"/> of the call binds (positionals, then keywords), or -1.</summary>
    private static int ParameterFor(TaintUnit callee, bool bound, int boundPositionals, Python.CallExpr call, int argument)
    {
        if (argument >= call.Args.Count)
        {
            var keyword = call.Keywords[argument - call.Args.Count].Arg;
            return keyword is null ? -1 : callee.IndexOfParameter(keyword);
        }
        if (call.Args.Take(argument).Any(a => a is Python.StarredExpr))
        {
            return -1;
        }
        var index = argument + (bound ? 1 : 0) + boundPositionals;
        return index < callee.PositionalCount ? index : -1;
    }
}

/// <summary>
/// One parameter's <see cref="ProjectIndex.ParameterUsesOf"/> answer, kept on its unit: the attributes read and those
/// of them called, or both null when the parameter is used otherwise (<see cref="Otherwise"/>).
/// </summary>
internal sealed record AttributeUses(IReadOnlySet<string>? Attributes, IReadOnlySet<string>? Called)
{
    public static readonly AttributeUses Otherwise = new(null, null);
}
