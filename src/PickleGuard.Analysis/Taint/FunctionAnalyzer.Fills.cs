using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Data a function puts into the object one of its parameters holds (<c>def fill(buf, data): buf.write(data)</c>, a
/// download into it, an item stored into it) is a summary entry (<see cref="FunctionSummary.Fills"/>), and a call
/// passing a local for that parameter fills the local: <c>buf = io.BytesIO(); fill(buf, request.data);
/// pickle.load(buf)</c> is a proven path. So is data it saves into the file at the path a parameter holds
/// (<see cref="FunctionSummary.Saves"/>), read back by the path the caller passed, and what it extracts into the
/// directory a parameter names (<see cref="FunctionSummary.Extracts"/>), under the directory the caller passed.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Records <paramref name="added"/> put into the object <paramref name="name"/> holds, when that is a parameter's.</summary>
    private void NoteFill(string name, TaintValue added)
    {
        if (ForParameter(name, added) is var (parameter, kept))
        {
            _unit.OwnSummary.AddFill(parameter, kept);
        }
    }

    /// <summary>Records <paramref name="saved"/> written to the file at the path <paramref name="name"/> holds, when that is a parameter's.</summary>
    private void NoteSave(string name, TaintValue saved)
    {
        if (ForParameter(name, saved) is var (parameter, kept))
        {
            _unit.OwnSummary.AddSave(parameter, kept);
        }
    }

    /// <summary>The parameter <paramref name="name"/> holds and what of <paramref name="value"/> its callers get: not its own data, nor the receiver's.</summary>
    private (int Parameter, TaintValue Kept)? ForParameter(string name, TaintValue value)
    {
        if (value.IsClean || ParameterHolding(name) is not { } parameter)
        {
            return null;
        }
        var kept = value.Select(o => o.IsReceiverAttribute || o.Parameter == parameter ? null : o);
        return kept.IsClean ? null : (parameter, kept);
    }

    /// <summary>The parameter whose object a local still holds: a name bound in this body by its parameter only.</summary>
    private int? ParameterHolding(string name) => OwnParameter(_unit, name)?.Index;

    /// <summary>
    /// Applies the callee's fills to the locals the call passes for the filled parameters: source data as it is, a
    /// parameter's data as the argument for it holds it, with the path through the callee.
    /// </summary>
    private void ApplyFills(TaintUnit callee, bool bound, CallExpr call, TaintValue[] positional, TaintValue[] keywords, int skipped)
    {
        var offset = (bound ? 1 : 0) + skipped;
        // A function calling itself with its parameters swapped (`fill(other, buf, ...)`) fills its own summary while
        // reading it (NoteFill): read a copy then.
        foreach (var (parameter, fill) in Entries(callee, callee.Summary.Fills))
        {
            var filled = ArgumentFor(callee, call, parameter, offset);
            if (filled is not (NameExpr or AttributeExpr { Value: NameExpr })
                || Mapped(callee, call, positional, keywords, offset, fill) is not { IsClean: false } added)
            {
                continue;
            }
            var stepped = added.Step(_module, call.Span.Start, $"filled by '{callee.Name}'");
            if (filled is NameExpr local)
            {
                FillLocal(local.Id, stepped);
                // A write handle the callee wrote into (`with open(P, "wb") as f: http_get(url, f)`, a named temporary
                // file) filled its file: read back by its path, or copied on by `tmp.name` (TextAttack's downloads).
                if (WriteTarget(local) is { } written)
                {
                    SaveToFile(written, stepped, call);
                }
            }
            else
            {
                AddToContainerAttribute((AttributeExpr)filled, stepped); // `put(self.store, k, v)`: the attribute's object
            }
        }
        // The file the callee saved at the path it was given is the one the argument names here (a constant path, a local
        // name's or a value's, <see cref="SaveToPath"/>), or the parameter's default path when the call leaves it out.
        foreach (var (parameter, saved) in Entries(callee, callee.Summary.Saves))
        {
            if ((ArgumentFor(callee, call, parameter, offset) ?? LiteralDefaultLeftTo(callee, call, parameter)) is { } path)
            {
                SaveToPath(path, Mapped(callee, call, positional, keywords, offset, saved), call);
            }
        }
        // What the callee extracted into the directory it was given is under the one the argument names here, or the
        // parameter's default directory when the call leaves it out (`def unpack(url, dest=".")`, `unpack(url)`).
        foreach (var (parameter, extracted) in Entries(callee, callee.Summary.Extracts))
        {
            if ((ArgumentFor(callee, call, parameter, offset) ?? LiteralDefaultLeftTo(callee, call, parameter)) is { } directory
                && Mapped(callee, call, positional, keywords, offset, extracted) is { IsClean: false } archive)
            {
                ExtractInto(directory, archive, call, callee.Name, "written into");
            }
        }
        ApplyPathSaves(callee, call, positional, keywords, offset);
        ApplyPathReads(callee, call, offset);
        ApplyCommandRuns(callee, call, offset);
    }

    private IEnumerable<KeyValuePair<int, TaintValue>> Entries(TaintUnit callee, IReadOnlyDictionary<int, TaintValue>? table) =>
        table is null ? [] : callee == _unit ? table.ToArray() : table;

    /// <summary>A callee's entry at this call: source data as it is, a parameter's data as the argument for it holds it, with the path through the callee.</summary>
    private static TaintValue Mapped(TaintUnit callee, CallExpr call, TaintValue[] positional, TaintValue[] keywords, int offset, TaintValue entry)
    {
        var mapped = TaintValue.Clean;
        foreach (var origin in entry.Origins)
        {
            mapped = mapped.Join(origin.IsSource ? TaintValue.Of(origin)
                : ArgumentFor(callee, call, origin.Parameter, offset) is { } argument
                    ? ArgumentTaint(call, argument, positional, keywords).Select(o => o with { Trace = o.Trace.Splice(origin.Trace) })
                    : TaintValue.Clean);
        }
        return mapped;
    }

    /// <summary>
    /// <paramref name="filled"/> put into the object the local <paramref name="name"/> holds: the local keeps what it held
    /// and gains it, and when the local is this function's parameter its callers' objects are filled too.
    /// </summary>
    private void FillLocal(string name, TaintValue filled)
    {
        var held = _state.TryGet(name, out var current) ? current : VarTaint.Clean;
        // The callee may have stored it under any key (`d[k] = v`): the constant-key parts hold it too.
        _state.Set(name, held.JoinEverywhere(filled));
        NoteFill(name, filled);
    }

    /// <summary>
    /// The string literal <paramref name="callee"/>'s parameter <paramref name="parameter"/> defaults to, when
    /// <paramref name="call"/> surely gives it nothing (no <c>*args</c> or <c>**kwargs</c> that might); null otherwise.
    /// </summary>
    private static ConstantExpr? LiteralDefaultLeftTo(TaintUnit callee, CallExpr call, int parameter)
    {
        if (parameter >= callee.Parameters.Length || call.Args.Any(a => a is StarredExpr) || call.Keywords.Any(k => k.Arg is null))
        {
            return null;
        }
        var name = callee.Parameters[parameter].ArgValue;
        return callee.Scope.BindingsOf(name).FirstOrDefault(b => b.Kind == Semantic.BindingKind.Parameter)?.Default
            is ConstantExpr { Value.Type: ConstantType.Str } literal ? literal : null;
    }

    /// <summary>
    /// The argument expression the call gives the callee's parameter <paramref name="parameter"/>: positional (the first
    /// <paramref name="offset"/> parameters taken by the receiver or a partial), else by keyword.
    /// </summary>
    internal static Expr? ArgumentFor(TaintUnit callee, CallExpr call, int parameter, int offset)
    {
        var position = parameter - offset;
        if (position < 0 || parameter >= callee.Parameters.Length)
        {
            return null;
        }
        if (parameter < callee.PositionalCount && position < call.Args.Count)
        {
            return ProjectIndex.StarredUpTo(call, position) ? null : call.Args[position];
        }
        return KeywordNamed(call, callee.Parameters[parameter].ArgValue)?.Value;
    }

    /// <summary>The call's keyword argument named <paramref name="name"/>, or null (a plain loop: a lambda capturing the name made a closure per call).</summary>
    private static Keyword? KeywordNamed(CallExpr call, string name)
    {
        foreach (var keyword in call.Keywords)
        {
            if (keyword.Arg == name)
            {
                return keyword;
            }
        }
        return null;
    }
}
