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
    /// <summary>Source data held by this body's variables, for closures, globals and other modules that read them.</summary>
    private void PublishVariables()
    {
        foreach (var (name, value) in _state.Variables)
        {
            var owner = OwnerScope(name);
            if (owner != _unit.Scope && _program.ImportTarget(owner, name) is { } imported)
            {
                PublishImported(imported, value);
                continue;
            }
            if (owner == _unit.Scope)
            {
                _program.WriteGlobal(new GlobalKey(owner, name), value.All());
                continue;
            }
            // An outer object's attributes are facts of their own (`sys.modules[k] = m` says nothing of `sys.path`).
            _program.WriteGlobal(new GlobalKey(owner, name), value.WithoutAttributes());
            WriteAttributes(owner, name + ".", value);
        }
    }

    /// <summary>The attribute parts of <paramref name="value"/> (<c>.x</c>), each as the variable <paramref name="prefix"/>x of <paramref name="owner"/>.</summary>
    private void WriteAttributes(Scope owner, string prefix, VarTaint value)
    {
        foreach (var (part, taint) in value.Parts ?? VarTaint.NoParts)
        {
            if (part.StartsWith('.') && !taint.IsClean)
            {
                _program.WriteGlobal(new GlobalKey(owner, prefix + part[1..]), taint);
            }
        }
    }

    /// <summary>
    /// An imported name changed in place: the variable it denotes, or for a module (<c>state.JOBS.put(v)</c> keeps
    /// the part <c>.JOBS</c> of <c>state</c>) the variables named by its attribute parts. A library's module: nothing.
    /// </summary>
    private void PublishImported(ImportedVariable imported, VarTaint value)
    {
        if (imported.Module is not { } module)
        {
            return;
        }
        if (imported.Variable.Length == 0)
        {
            WriteAttributes(module.ModuleScope, "", value);
            return;
        }
        _program.WriteGlobal(new GlobalKey(module.ModuleScope, imported.Variable), value.WithoutAttributes());
        WriteAttributes(module.ModuleScope, imported.Variable + ".", value);
    }

    /// <summary>
    /// <c>JOBS.put(data)</c>, <c>state.JOBS.append(data)</c>: a parameter queued into a shared variable is a summary
    /// entry, so callers passing source data write the fact. Only for queue-like methods (<see cref="ChannelMethods"/>):
    /// a parameter stored into a module's cache (<c>_cache[key] = value</c>) would taint every later reader of the
    /// cache whatever its key, and caches are everywhere (on the standard library those entries doubled the re-analyses).
    /// </summary>
    private void QueueParameters(NameExpr owner, string? attribute, string method, TaintValue added)
    {
        if (!ChannelMethods.Contains(method) || SharedKey(owner, attribute) is not { } key)
        {
            return;
        }
        foreach (var origin in added.Origins)
        {
            if (!origin.IsSource && !origin.IsReceiverAttribute)
            {
                _unit.Summary.AddVariable(origin.Parameter, key, origin.Trace);
            }
        }
    }

    private static readonly HashSet<string> ChannelMethods = new(StringComparer.Ordinal)
    {
        "put", "put_nowait", "append", "appendleft", "extend", "extendleft", "insert",
    };

    /// <summary>
    /// The fact <see cref="PublishVariables"/> writes for <paramref name="owner"/> (or its attribute
    /// <paramref name="attribute"/>) when it is not this body's own: an outer variable, or what an import binds.
    /// </summary>
    private GlobalKey? SharedKey(NameExpr owner, string? attribute)
    {
        if (BindingScope(owner.Id) is not { } scope)
        {
            return null;
        }
        var suffix = attribute is null ? "" : "." + attribute;
        switch (_program.ImportTarget(scope, owner.Id))
        {
            case { Module: null }:
                return null;
            case { Module: { } module, Variable.Length: 0 }:
                return attribute is null ? null : new GlobalKey(module.ModuleScope, attribute);
            case { Module: { } module, Variable: var variable }:
                return new GlobalKey(module.ModuleScope, variable + suffix);
        }
        var ownLocal = scope == _unit.Scope && _unit.Function is not null && !_unit.Scope.IsGlobal(owner.Id);
        return ownLocal ? null : new GlobalKey(scope, owner.Id + suffix);
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
                    _unit.Summary.AddVariable(origin.Parameter, key, trace);
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
    private TaintValue? OuterAttribute(NameExpr owner, AttributeExpr read)
    {
        if (_unit.Function is null || IsLocal(owner.Id) || BindingScope(owner.Id) is not { } scope)
        {
            return null;
        }
        var (factScope, factName) = (scope, owner.Id);
        switch (_program.ImportTarget(scope, owner.Id))
        {
            case { Module: null }:
                return TaintValue.Clean;
            case { Module: { } module, Variable.Length: 0 }:
                return Stepped(_program.ReadGlobal(new GlobalKey(module.ModuleScope, read.Attr)), read);
            case { Module: { } module, Variable: var variable }:
                (factScope, factName) = (module.ModuleScope, variable);
                break;
        }
        var value = EvalName(owner);
        var whole = value.IsClean ? value : ReadAttributeOf(value, read);
        // The attribute facts of a variable are looked up only once it has some: most reads are of modules and classes.
        return _program.HasAttributeFacts(new GlobalKey(factScope, factName))
            ? whole.Join(Stepped(_program.ReadGlobal(new GlobalKey(factScope, factName + "." + read.Attr)), read))
            : whole;
    }

    private TaintValue Stepped(TaintValue held, AttributeExpr read) =>
        held.IsClean ? held : held.Step(_module, read.Span.Start, $"reads '{Text(read)}'");

    /// <summary>What a variable imported from a scanned module holds there (<c>from state import JOBS</c>), else clean.</summary>
    private TaintValue ImportedVariable(Scope scope, string name) =>
        _program.ImportTarget(scope, name) is { Module: { } module, Variable: { Length: > 0 } variable }
            ? _program.ReadGlobal(new GlobalKey(module.ModuleScope, variable))
            : TaintValue.Clean;

    /// <summary>The scope whose binding of <paramref name="name"/> this body sees, or null (a builtin or undefined name).</summary>
    private Scope? BindingScope(string name) => _unit.ScopeBinding(name);

    /// <summary>
    /// The scope a variable of this body belongs to: the module for a <c>global</c> one; for a name this function does
    /// not bind (a module or closure variable whose object it changes in place: <c>JOBS.put(v)</c>, <c>CACHE[k] = v</c>),
    /// the enclosing scope that binds it, so the change is a fact others read; else this body's own scope.
    /// </summary>
    private Scope OwnerScope(string name) => _unit.ScopeBinding(name) ?? _unit.Scope;
}
