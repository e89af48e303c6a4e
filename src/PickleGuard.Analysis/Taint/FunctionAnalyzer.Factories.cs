using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Factories (docs/taint.md, design item 8; <see cref="ObjectConfinement.FindFactories"/>). In a factory, the object a
/// return hands over — a construction or another factory's object followed like a confined local's, or a confined
/// local — gives its attribute parts to the summary (<see cref="FunctionSummary.AddFreshPart"/>) instead of class-wide
/// facts. At a call of a factory, a confined local it is bound to gets them as its own parts; any other use of the
/// object gets them as the class-wide facts the factory used to write itself (sources) or as this function's parameter
/// → attribute entries (its parameters).
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>In a factory: the classes whose class-wide fact each attribute part of a local (or returned construction) stands for.</summary>
    private Dictionary<(string Name, string Attribute), HashSet<ClassInfo>>? _partOwners;

    /// <summary>Notes, in a factory, that <paramref name="name"/>'s part <paramref name="attribute"/> stands for <paramref name="owners"/>' class-wide fact.</summary>
    private void NoteOwners(string name, string attribute, ReadOnlySpan<ClassInfo> owners)
    {
        if (_unit.FreshClass is null)
        {
            return;
        }
        _partOwners ??= [];
        if (!_partOwners.TryGetValue((name, attribute), out var classes))
        {
            _partOwners[(name, attribute)] = classes = [];
        }
        foreach (var owner in owners)
        {
            classes.Add(owner);
        }
    }

    /// <summary>
    /// <c>return value</c> in a factory: evaluates the value (following a returned construction or factory call per
    /// object) and records what the returned object's attributes hold, with a "returned by" step.
    /// </summary>
    private void ReturnFresh(ReturnStmt statement, Expr value)
    {
        IReadOnlyDictionary<string, TaintValue>? parts;
        string name;
        if (value is CallExpr call)
        {
            name = Text(call.Func) + "(...)";
            _construction = (call, name, true);
            _constructedParts = null;
            Return(Eval(call), statement, "returned");
            parts = _constructedParts;
            _construction = null;
            _constructedParts = null;
        }
        else
        {
            Return(Eval(value), statement, "returned");
            name = ((NameExpr)value).Id;
            parts = _state.TryGet(name, out var held) ? held.Parts : null;
        }
        if (parts is null)
        {
            return;
        }
        foreach (var (key, part) in parts)
        {
            if (part.IsClean || !key.StartsWith('.') || OverBudget(part.Origins.Length))
            {
                continue;
            }
            var attribute = key[1..];
            var owners = _partOwners?.GetValueOrDefault((name, attribute)) is { } noted ? [.. noted] : _program.ClassAndBases(_unit.FreshClass!);
            var returned = part.Step(_module, statement.Span.Start, $"returned by '{_unit.Name}'");
            foreach (var origin in returned.Origins)
            {
                foreach (var owner in owners)
                {
                    if (origin.IsReceiverAttribute)
                    {
                        _unit.OwnSummary.AddAttribute(origin, (owner, attribute), origin.Trace);
                    }
                    else
                    {
                        _unit.OwnSummary.AddFreshPart(origin, (owner, attribute), origin.Trace);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The source data a factory put into its object's attributes, at a call of it: the parts of the confined local it
    /// is bound to (<paramref name="receiver"/> is the construction), else the class-wide facts of the object's class,
    /// which its bases' methods read as their descendants'.
    /// </summary>
    private void ApplyFreshSources(Receiver receiver, IReadOnlyDictionary<(ClassInfo Class, string Attribute), TaintValue> sources)
    {
        foreach (var (key, value) in sources)
        {
            if (OverBudget(value.Origins.Length))
            {
                return;
            }
            if (receiver.Kind == ReceiverKind.Constructed)
            {
                StorePart(receiver, "." + key.Attribute, value);
                NoteOwners(receiver.Name, key.Attribute, [key.Class]);
                if (receiver.Confined)
                {
                    continue;
                }
            }
            foreach (var origin in value.Origins)
            {
                _program.WriteSource(new GlobalKey(key.Class, key.Attribute), origin, onObject: true);
            }
        }
    }
}
