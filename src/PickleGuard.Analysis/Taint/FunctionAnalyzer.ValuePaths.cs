using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Paths keyed by the value they hold where they are used, so that a file saved under one expression is read back under
/// another naming the same value. A name is followed to the one assignment that reaches the use (pycaret's
/// <c>filename = f"{model_name}.pkl"</c>, then <c>load_model(model_name)</c> rebuilding <c>f"{model_name}.pkl"</c>);
/// otherwise it is keyed by the bindings that reach it: two uses reached by the same bindings see the same value, as
/// a binding run between them would reach the later use only. An attribute or an item of constant key on such a name
/// (coqui TTS's <c>install(model_path=config.PATHS["tok"])</c>, then <c>torch.load(config.PATHS["tok"])</c>) is keyed
/// by its segments, and so is one on a constant of the module (<c>PATHS["tok"]</c>, <c>Config.PATH</c>), unless this function stores into a member of the name of one of them, on any object (that member,
/// one above it, or either through another name holding the same object: <see cref="MemberStores"/>). A callee's template
/// (FunctionAnalyzer.PathReads.cs) names only its parameters as they were passed. These keys add to
/// <see cref="LocalPath"/>'s (names bound once, shown as written in traces): a save is kept under both, and a read that
/// finds nothing under its local key looks here. Not seen: a member changed by a call (a method of the object, a
/// helper given it).
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Encloses the offsets of the bindings that reach a name, in its key: no path text holds it.</summary>
    private const char BindingsMark = '\u0002';

    /// <summary>What this analysis saved at the files value keys name (<see cref="ValuePath"/>).</summary>
    private Dictionary<string, TaintValue>? _valueSaves;

    /// <summary>This function's stores into members (<see cref="MemberStores"/>), found when a member path is first keyed.</summary>
    private List<List<string>>? _memberStores;

    /// <summary>
    /// Saves <paramref name="data"/> in the file <paramref name="path"/> names: under its constant path or local key
    /// (<see cref="SaveToFile"/>), and, unless the path is constant, under its value key.
    /// </summary>
    private void SaveToPath(Expr path, TaintValue data, Node at)
    {
        if (data.IsClean)
        {
            return;
        }
        var key = FilePath(path);
        if (key is not null)
        {
            SaveToFile(key, data, at);
        }
        if ((key is null || key[0] == LocalPathMark) && ValuePath(path, at) is { } value)
        {
            SaveAtValueKey(value, data, at);
        }
        if (key is null || key[0] == LocalPathMark)
        {
            SaveToModulePath(path, data, at);
        }
    }

    /// <summary>Keeps <paramref name="data"/>, saved at <paramref name="at"/>, under the value key <paramref name="value"/>.</summary>
    private void SaveAtValueKey(string value, TaintValue data, Node at)
    {
        _valueSaves ??= new(StringComparer.Ordinal);
        _valueSaves[value] = _valueSaves.GetValueOrDefault(value, TaintValue.Clean)
            .Join(data.Step(_module, at.Span.Start, $"saved to the file at '{Shown(value)}'"));
    }

    /// <summary>What this analysis saved at the value key of <paramref name="expr"/> (see the type), read back at <paramref name="at"/>.</summary>
    private TaintValue SavedAtValuePath(Expr expr, Node at, string use) =>
        _valueSaves is not null && ValuePath(expr, at) is { } key && _valueSaves.GetValueOrDefault(key) is { IsClean: false } written
            ? written.Step(_module, at.Span.Start, $"{use} the file at '{Shown(key)}'")
            : TaintValue.Clean;

    /// <summary>The value key of the path <paramref name="expr"/> names at the call <paramref name="at"/> when it names a local, else null.</summary>
    private string? ValuePath(Expr expr, Node at) =>
        at is CallExpr call && ValueContext(call) is { } context && ValuePathKey(expr, context, 0, parameterSlots: false) is (var text, true) ? text : null;

    /// <summary>Where this function's own code runs <paramref name="call"/> (not a comprehension or lambda in it), else null.</summary>
    private EvalContext? ValueContext(CallExpr call) =>
        _unit.Function is not null && _module.CallSiteOf(call) is { } site && site.Scope == _unit.Scope ? EvalContext.At(site) : null;

    /// <summary>The value key of a path (see the type); with <paramref name="parameterSlots"/>, a template of this function's parameters.</summary>
    private (string Text, bool Named)? ValuePathKey(Expr expr, EvalContext context, int depth, bool parameterSlots) =>
        PathKey(expr, depth, (leaf, leafDepth) => leaf switch
        {
            NameExpr name => NameValueKey(name.Id, context, leafDepth, parameterSlots),
            AttributeExpr or SubscriptExpr => MemberValueKey(leaf, context, leafDepth, parameterSlots),
            _ => null,
        });

    /// <summary>
    /// A name's value key: the key of the one assignment reaching <paramref name="context"/>, when it has one; else, for a
    /// template, the slot of the parameter that alone reaches it; else the name with the bindings reaching it.
    /// </summary>
    private (string Text, bool Named)? NameValueKey(string name, EvalContext context, int depth, bool parameterSlots)
    {
        var bindings = _program.Resolver.ReachingBindings(name, context);
        if (bindings.Count == 0)
        {
            return null;
        }
        if (bindings is [var global] && IsModuleConstant(global))
        {
            return global is { Kind: BindingKind.Assignment, Value: { } constant } && ValuePathKey(constant, EvalContext.Of(global), depth + 1, parameterSlots) is { } held
                ? held
                : ($"{name}{BindingsMark}{global.Offset}{BindingsMark}", true);
        }
        foreach (var binding in bindings)
        {
            // This function's own bindings, made before the use: one after it reaches it only from an earlier iteration.
            if (binding.Scope != _unit.Scope || binding.ExecutingScope != _unit.Scope || binding.Offset > context.Offset)
            {
                return null;
            }
        }
        if (bindings is [{ Kind: BindingKind.Assignment, Augments: false, Value: { } value } assignment]
            && ValuePathKey(value, EvalContext.Of(assignment), depth + 1, parameterSlots) is { } assigned)
        {
            return assigned;
        }
        if (parameterSlots)
        {
            return bindings is [{ Kind: BindingKind.Parameter }] && _unit.IndexOfParameter(name) is >= 0 and var parameter
                ? (ParameterSlot(parameter), true)
                : null;
        }
        return ($"{name}{BindingsMark}{string.Join(',', bindings.Select(b => b.Offset))}{BindingsMark}", true);
    }

    /// <summary>
    /// A name this module binds once, at its top level, to a value (<c>PATHS = {...}</c>) or a class, and whose items no
    /// code of the module changes in place: the same object wherever a function of the module reads it.
    /// </summary>
    private bool IsModuleConstant(Binding binding) =>
        binding is { Kind: BindingKind.Assignment or BindingKind.ClassDef, Augments: false, Scope.Kind: ScopeKind.Module }
            && binding.ExecutingScope == binding.Scope && binding.Scope == _module.ModuleScope
            && binding.Scope.BindingsOf(binding.Name).Count == 1 && !_module.MutatedNames.Contains(binding.Name);

    /// <summary>
    /// <c>config.PATHS["tok"]</c>: the value key of its root name followed by its segments, when every item's key is a
    /// constant and this function stores into none of them (see the type).
    /// </summary>
    private (string Text, bool Named)? MemberValueKey(Expr member, EvalContext context, int depth, bool parameterSlots)
    {
        if (MemberStores.Chain(member) is not ({ } root, var segments) || segments.Contains(MemberStores.AnyItem) || StoresInto(segments)
            || NameValueKey(root, context, depth + 1, parameterSlots) is not var (rootKey, _))
        {
            return null;
        }
        return (rootKey + string.Concat(segments), true);
    }

    /// <summary>
    /// Whether this function stores into a member named as one of <paramref name="segments"/>, on any object: the member
    /// itself, one above it, or either through another name holding the same object.
    /// </summary>
    private bool StoresInto(List<string> segments)
    {
        _memberStores ??= MemberStores.Of(_unit);
        foreach (var stored in _memberStores)
        {
            foreach (var segment in segments)
            {
                if (SegmentMatches(stored[^1], segment))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool SegmentMatches(string stored, string segment) =>
        stored == segment || stored == MemberStores.AnyItem && segment[0] == '[' || stored == MemberStores.AnyAttribute && segment[0] == '.';

    /// <summary>A value key as a trace shows it: without the bindings' offsets.</summary>
    private static string Shown(string key)
    {
        var text = new System.Text.StringBuilder(key.Length);
        var inside = false;
        foreach (var c in key)
        {
            if (c == BindingsMark)
            {
                inside = !inside;
            }
            else if (!inside)
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
