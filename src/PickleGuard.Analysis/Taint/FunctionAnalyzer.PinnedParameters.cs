using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Parameters that hold program data at every call: CLIP's and whisper's private <c>_download(url, root)</c>, called
/// only as <c>_download(_MODELS[name], ...)</c> with <c>_MODELS</c> a constant table of URLs, checks the file it saved
/// against <c>url.split("/")[-2]</c> — a digest the program fixed, whichever model was asked for. Proved only for a
/// private module function (<c>_name</c>, undecorated) every mention of which in the project is a call passing a
/// literal, a constant, or an item of a constant table for the parameter: a function handed on, imported, or named in
/// text, may be called with anything.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// Data the program holds whichever call runs this function: a parameter pinned by every caller
    /// (<see cref="PinnedParameters"/>) and never rebound, or a method, item or slice of one taken with constants
    /// (<c>url.split("/")[-2]</c>).
    /// </summary>
    private bool FromPinnedParameters(Expr expr, int depth) => depth < 4 && expr switch
    {
        NameExpr name => _unit.IndexOfParameter(name.Id) is >= 0 and var index && _unit.Scope.BindingsOf(name.Id) is [{ Kind: BindingKind.Parameter }]
            && Array.IndexOf(PinnedParameters(), index) >= 0,
        CallExpr { Func: AttributeExpr { Value: var text }, Keywords.Count: 0 } call => call.Args.All(IsConstantOperand) && FromPinnedParameters(text, depth + 1),
        SubscriptExpr { Value: var text, Slice: var slice } => IsConstantOperand(slice) && FromPinnedParameters(text, depth + 1),
        _ => false,
    };

    private static bool IsConstantOperand(Expr expr) => expr switch
    {
        ConstantExpr => true,
        UnaryOpExpr { Operand: ConstantExpr } => true,
        SliceExpr slice => (slice.Lower is null || IsConstantOperand(slice.Lower)) && (slice.Upper is null || IsConstantOperand(slice.Upper))
            && (slice.Step is null || IsConstantOperand(slice.Step)),
        _ => false,
    };

    /// <summary>The parameters every call of this function passes program data for (<see cref="FindPinnedParameters"/>), looked for once.</summary>
    private int[] PinnedParameters() => _unit.PinnedParameters ??= FindPinnedParameters();

    private int[] FindPinnedParameters()
    {
        if (_unit.Function is not { Owner: null, Arguments: not null } function || _unit.Scope.Parent?.Kind != ScopeKind.Module
            || !function.Name.StartsWith('_') || function.Name.StartsWith("__", StringComparison.Ordinal) || function.Decorators.Count > 0)
        {
            return [];
        }
        var pinned = Enumerable.Range(0, _unit.Parameters.Length).Where(p => p != _unit.VarargIndex && p != _unit.KwargIndex).ToList();
        var calls = 0;
        foreach (var module in _program.Resolver.Project.ModulesNaming(_module))
        {
            if (!ModuleText.MayName(module, function.Name))
            {
                continue;
            }
            var sites = module.CallsNamed(function.Name);
            // Each mention is a call of it, and the definition: no other reference (an import, `f = _download`, a
            // callback, a string) through which it may be called unseen.
            if (ModuleText.IdentifierOccurrences(module.Source.Text, function.Name) != sites.Count + (module == _module ? 1 : 0))
            {
                return [];
            }
            foreach (var site in sites)
            {
                calls++;
                pinned.RemoveAll(p => !PassesProgramData(site, p));
            }
        }
        return calls == 0 ? [] : [.. pinned];
    }

    /// <summary>Whether <paramref name="site"/> passes a literal, a constant or an item of a constant table for parameter <paramref name="parameter"/>.</summary>
    private bool PassesProgramData(CallSite site, int parameter)
    {
        var name = _unit.Parameters[parameter].ArgValue;
        var (kind, passed) = Detection.ArgumentFinder.Find(site.Call, new Models.ArgumentSelector(parameter < _unit.PositionalCount ? parameter : null, name));
        if (kind != Detection.ArgumentKind.Found || passed is null)
        {
            return false;
        }
        return passed switch
        {
            ConstantExpr { Value.Type: ConstantType.Str or ConstantType.Bytes } => true,
            NameExpr constant => ValueBoundOnce(site.Scope, constant.Id) is ConstantExpr { Value.Type: ConstantType.Str or ConstantType.Bytes },
            // `_MODELS[name]`: whichever key was asked for, an item of a table of constants (a missing one raises).
            SubscriptExpr { Value: NameExpr table } => site.Scope.Module.ModuleScope.BindingsOf(table.Id) is [{ Kind: BindingKind.Assignment, Value: DictExpr dict }]
                && !site.Scope.Binds(table.Id) && !site.Scope.Module.MutatedNames.Contains(table.Id)
                && dict.Keys.All(key => key is not null) && dict.Values.All(value => value is ConstantExpr { Value.Type: ConstantType.Str or ConstantType.Bytes }),
            _ => false,
        };
    }
}
