using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A file a callee saves at a path it joins from its parameters (<see cref="FunctionSummary.PathSaves"/>; stanza's
/// <c>request_file(url, os.path.join(model_dir, lang, package + ".pt"))</c> in a download helper) is, at a call, the
/// file the caller names by joining its arguments the same way: saved there for this function (a local path key,
/// <see cref="LocalPath"/>), read back by that path or by a callee's path read filled with the same arguments
/// (FunctionAnalyzer.PathReads.cs), and for this function's callers when its arguments are its own parameters.
/// Only paths made of literals, constants and names bound once match, so another name, directory or file name does not.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// The parameter template (<see cref="ParameterSlot"/>) of each local path key that has one beyond a bare parameter
    /// (which <see cref="FunctionSummary.Saves"/> covers): what is saved at the key is saved at the template for the callers.
    /// </summary>
    private Dictionary<string, string>? _pathTemplates;

    /// <summary>
    /// The key of the path each local name bound once holds, by the name's key: a file saved by the name is the one
    /// the path names, and the reverse (pycaret's <c>filename = f"{model_name}.pkl"</c> downloaded to, then read back
    /// by <c>load_model(model_name)</c> rebuilding <c>f"{name}.pkl"</c>).
    /// </summary>
    private Dictionary<string, string>? _boundPaths;

    /// <summary>Keeps the key of the path the local name <paramref name="expr"/> (keyed as <paramref name="key"/>) is bound to, if it is one.</summary>
    private void NoteBoundPath(string key, Expr expr)
    {
        if (SamePath(expr) is NameExpr name && ParameterHolding(name.Id) is null && ValueBoundOnce(name) is { } value
            && LocalPathKey(value, 1) is (var text, true))
        {
            (_boundPaths ??= new(StringComparer.Ordinal))[key] = LocalPathMark + text;
        }
    }

    /// <summary>What this function saved at the local path <paramref name="key"/>, by that key or by the path a name bound to it holds.</summary>
    private TaintValue SavedAtKey(string key)
    {
        var saved = _localSaves?.GetValueOrDefault(key, TaintValue.Clean) ?? TaintValue.Clean;
        return _boundPaths?.GetValueOrDefault(key) is { } bound ? saved.Join(_localSaves?.GetValueOrDefault(bound, TaintValue.Clean) ?? TaintValue.Clean) : saved;
    }

    /// <summary>Keeps the parameter template of the local path <paramref name="expr"/> keyed as <paramref name="key"/>, if it has one.</summary>
    private void NoteTemplate(string key, Expr expr)
    {
        if (TemplateKey(expr, 0) is (var template, true))
        {
            NoteTemplate(key, template);
        }
    }

    private void NoteTemplate(string key, string template)
    {
        if (SlotsOf(template) is not [var only] || template != ParameterSlot(only))
        {
            (_pathTemplates ??= new(StringComparer.Ordinal))[key] = template;
        }
    }

    /// <summary>Records <paramref name="saved"/> written to the file at the local path <paramref name="key"/> for the callers, when its template is known.</summary>
    private void NotePathSave(string key, TaintValue saved)
    {
        if (_pathTemplates?.GetValueOrDefault(key) is not { } template)
        {
            return;
        }
        // The path's own parts are not what the file holds (as for a parameter's path, ForParameter).
        var slots = SlotsOf(template);
        var kept = saved.Select(o => o.IsReceiverAttribute || slots.Contains(o.Parameter) ? null : o);
        if (!kept.IsClean)
        {
            _unit.OwnSummary.AddPathSave(template, kept);
        }
    }

    /// <summary>The parameters a path template's slots hold.</summary>
    private static int[] SlotsOf(string template)
    {
        var parts = template.Split(SlotMark);
        var slots = new int[parts.Length / 2];
        for (var i = 1; i < parts.Length; i += 2)
        {
            slots[i / 2] = int.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture);
        }
        return slots;
    }

    /// <summary>
    /// The callee's saves at path templates at this call: saved at the path each template makes of this call's
    /// arguments, when that names a local (source data as it is, a parameter's as the argument for it holds it) — by
    /// the arguments' local keys, and as <see cref="SaveToPath"/> saves, by their value keys too (an attribute such as
    /// <c>self.dir</c> has only a value key: FunctionAnalyzer.ValuePaths.cs).
    /// </summary>
    private void ApplyPathSaves(TaintUnit callee, CallExpr call, TaintValue[] positional, TaintValue[] keywords, int offset)
    {
        if (callee.Summary.PathSaves is not { } saves)
        {
            return;
        }
        // A function calling itself adds to the table while reading it: read a copy then.
        foreach (var (template, saved) in callee == _unit ? saves.ToArray() : (IEnumerable<KeyValuePair<string, TaintValue>>)saves)
        {
            var path = CallersPath(template, callee, call, offset, argument => LocalPathKey(argument, 0));
            var value = ValueContext(call) is { } context
                ? CallersPath(template, callee, call, offset, argument => ValuePathKey(argument, context, 0, parameterSlots: false))
                : null;
            if (path is null && value is null || Mapped(callee, call, positional, keywords, offset, saved) is not { IsClean: false } written)
            {
                continue;
            }
            if (value is not null)
            {
                SaveAtValueKey(value, written, call);
            }
            if (path is null)
            {
                continue;
            }
            var key = LocalPathMark + path;
            if (CallersPath(template, callee, call, offset, argument => TemplateKey(argument, 0)) is { } own)
            {
                NoteTemplate(key, own);
            }
            SaveToFile(key, written, call);
        }
    }
}
