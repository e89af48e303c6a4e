using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Variables shared with other code: of the module, of an enclosing function, and of another module reached through
/// an import (<c>from state import JOBS</c>, <c>state.JOBS</c>; see <see cref="ImportedVariables"/>), each attribute
/// of theirs a fact of its own (<c>SETTINGS.blob</c>). Source data put into them is a whole-program fact; a parameter
/// queued into them is a summary entry, so a caller passing source data to the helper writes the fact
/// (<c>def enqueue(data): JOBS.put(data)</c>). A library's module (<c>import os</c>) is none of them.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// Source data held by this body's variables, for closures, globals and other modules that read them. A function's
    /// own variables only for the functions nested in it: nothing else reads them (most functions have none).
    /// </summary>
    private void PublishVariables()
    {
        if (!_state.HoldsSourceData())
        {
            return; // only source data becomes a fact (WriteGlobal): most analyses end with none
        }
        var publishesOwn = _unit.Function is null || _unit.EnclosesUnits;
        foreach (var (name, value) in _state.Variables)
        {
            var owner = OwnerScope(name);
            if (owner == _unit.Scope)
            {
                if (publishesOwn)
                {
                    _program.WriteGlobal(new GlobalKey(owner, name), value.All());
                }
                continue;
            }
            if (SharedPlaceOf(owner, name) is not { } place)
            {
                continue; // a library's module
            }
            // An outer object's attributes are facts of their own (`sys.modules[k] = m` says nothing of `sys.path`).
            if (place.Whole is { } whole)
            {
                _program.WriteGlobal(whole, value.WithoutAttributes());
            }
            foreach (var (part, taint) in value.Parts ?? VarTaint.NoParts)
            {
                if (part.StartsWith('.') && !taint.IsClean)
                {
                    _program.WriteGlobal(place.Attribute(part[1..]), taint);
                }
            }
        }
    }

    /// <summary>
    /// Where the facts of a variable of an enclosing scope or the module, <paramref name="name"/> bound in
    /// <paramref name="owner"/>, live: under its own name there; for an imported variable, under the variable of the
    /// scanned module it names (<c>from jobs import JOBS</c>); for an imported scanned module, its variables by
    /// attribute (<c>jobs.JOBS</c>). Null for a library's module (<c>import os</c>): its changes are no facts.
    /// </summary>
    private SharedPlace? SharedPlaceOf(Scope owner, string name) => _program.ImportTarget(owner, name) switch
    {
        { Module: null } => null,
        { Module: { } module, Variable: var variable } => new SharedPlace(module.ModuleScope, variable),
        _ => new SharedPlace(owner, name),
    };

    /// <summary>A <see cref="SharedPlaceOf"/> result: a variable (<see cref="Name"/>), or with no name a module whose variables its attributes are.</summary>
    private readonly record struct SharedPlace(Scope Scope, string Name)
    {
        /// <summary>The fact of the variable itself (none for a module).</summary>
        public GlobalKey? Whole => Name.Length == 0 ? null : new GlobalKey(Scope, Name);

        /// <summary>The fact of an attribute of it (<c>x.attr</c>), or of a module, its variable <c>attr</c>.</summary>
        public GlobalKey Attribute(string attribute) => new(Scope, Name.Length == 0 ? attribute : Name + "." + attribute);
    }

    /// <summary>
    /// <c>JOBS.put(data)</c>, <c>state.JOBS.append(data)</c>: a parameter queued into a shared variable is a summary
    /// entry, so callers passing source data write the fact. Only for queue-like methods
    /// (<see cref="CodeFootprint.ChannelMethods"/>): a parameter stored into a module's cache (<c>_cache[key] = value</c>)
    /// would taint every later reader of the cache whatever its key, and caches are everywhere (on the standard library
    /// those entries doubled the re-analyses).
    /// </summary>
    private void QueueParameters(NameExpr owner, string? attribute, string method, TaintValue added)
    {
        if (!CodeFootprint.ChannelMethods.Contains(method) || SharedKey(owner, attribute) is not { } key)
        {
            return;
        }
        foreach (var origin in added.Origins)
        {
            if (!origin.IsSource && !origin.IsReceiverAttribute)
            {
                _unit.OwnSummary.AddVariable(origin.Parameter, key, origin.Trace);
            }
        }
    }

    /// <summary>
    /// The fact <see cref="PublishVariables"/> writes for <paramref name="owner"/> (or its attribute
    /// <paramref name="attribute"/>) when it is not this body's own: an outer variable, or what an import binds.
    /// </summary>
    private GlobalKey? SharedKey(NameExpr owner, string? attribute)
    {
        var scope = OwnerScope(owner.Id);
        if (scope == _unit.Scope || SharedPlaceOf(scope, owner.Id) is not { } place)
        {
            return null;
        }
        return attribute is null ? place.Whole : place.Attribute(attribute);
    }

    /// <summary>A callee puts <paramref name="passed"/> into outer variables: facts, or this function's own summary entries.</summary>
    private void StoreVariables(Dictionary<GlobalKey, TraceLink> variables, TaintValue passed)
    {
        if (OverBudget(variables.Count * passed.Origins.Length))
        {
            return;
        }
        foreach (var (key, chain) in variables)
        {
            foreach (var origin in passed.Origins)
            {
                var trace = origin.Trace.Splice(chain);
                if (origin.IsSource)
                {
                    _program.WriteGlobal(key, TaintValue.Of(origin with { Trace = trace }));
                }
                else if (!origin.IsReceiverAttribute)
                {
                    _unit.OwnSummary.AddVariable(origin.Parameter, key, trace);
                }
            }
        }
    }

    /// <summary>
    /// <c>x.attr</c> where <c>x</c> is a variable of the module or an enclosing function, or what an import binds:
    /// the attribute of what <c>x</c> holds, plus the attribute's own fact (<see cref="PublishVariables"/>). For
    /// <c>state.JOBS</c> with <c>state</c> a scanned module, that module's variable; for a library's module
    /// (<c>os.path</c>), nothing (its sources are matched before). Null for this body's own variables.
    /// </summary>
    /// <param name="isRead">Whether the attribute is read, not a method called (<see cref="ReadAttributeOf"/>).</param>
    private TaintValue? OuterAttribute(NameExpr owner, AttributeExpr read, bool isRead)
    {
        var scope = OwnerScope(owner.Id);
        if (scope == _unit.Scope)
        {
            return null;
        }
        if (SharedPlaceOf(scope, owner.Id) is not { } place)
        {
            return TaintValue.Clean;
        }
        if (place.Whole is not { } whole)
        {
            return Stepped(_program.ReadGlobal(place.Attribute(read.Attr)), read);
        }
        var value = EvalName(owner);
        var held = value.IsClean ? value : ReadAttributeOf(value, read, isRead);
        // The attribute facts of a variable are looked up only once it has some: most reads are of modules and classes.
        return _program.HasAttributeFacts(whole) ? held.Join(Stepped(_program.ReadGlobal(place.Attribute(read.Attr)), read)) : held;
    }

    private TaintValue Stepped(TaintValue held, AttributeExpr read) =>
        held.IsClean ? held : held.Step(_module, read.Span.Start, StepText.Quoting("reads", read));

    /// <summary>What a variable imported from a scanned module holds there (<c>from state import JOBS</c>), else clean.</summary>
    private TaintValue ImportedVariable(Scope scope, string name) =>
        _program.ImportTarget(scope, name) is { Module: { } module, Variable: { Length: > 0 } variable }
            ? _program.ReadGlobal(new GlobalKey(module.ModuleScope, variable))
            : TaintValue.Clean;

    /// <summary>
    /// The scope a variable of this body belongs to: the module for a <c>global</c> one; for a name this function does
    /// not bind (a module or closure variable whose object it changes in place: <c>JOBS.put(v)</c>, <c>CACHE[k] = v</c>),
    /// the enclosing scope that binds it, so the change is a fact others read; else this body's own scope.
    /// </summary>
    private Scope OwnerScope(string name) => _unit.Scope.ScopeBinding(name) ?? _unit.Scope;

    /// <summary>Whether <paramref name="name"/> is bound only by imports of a module here (<c>import os</c>, a scanned module).</summary>
    private bool DenotesModule(string name) => _program.ImportTarget(OwnerScope(name), name) is { Variable: "" };
}
