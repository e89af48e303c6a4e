using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class SinkDetector
{
    private const int MaxClassDepth = 16;

    /// <summary>Whether a model's argument condition provably holds at this call (see <see cref="ArgumentCondition"/>).</summary>
    private bool Holds(ArgumentCondition condition, CallExpr call, EvalContext context, ApiValue api)
    {
        var (target, kind, value, targetContext) = FindArgument(condition.Argument, call, context, api);
        if (target is not null && kind == ArgumentKind.Unknowable && SplattedDisplays(target, condition, targetContext, api) is var (splatKind, splatValue))
        {
            (kind, value) = (splatKind, splatValue);
        }
        return target is null ? MissingHolds(condition) : Holds(condition, kind, value, targetContext);
    }

    /// <summary>
    /// Where the project requires the release from which the library makes the absent argument of <paramref name="condition"/>
    /// safe (<see cref="ArgumentCondition.DefaultSince"/>), when the call leaves it out; else null.
    /// </summary>
    private string? SafeDefaultDeclared(ArgumentCondition condition, ModuleModel module, CallExpr call, EvalContext context, ApiValue api)
    {
        if (condition.DefaultSince is not { } since)
        {
            return null;
        }
        var (target, kind, _, targetContext) = FindArgument(condition.Argument, call, context, api);
        if (target is not null && kind == ArgumentKind.Unknowable && SplattedDisplays(target, condition, targetContext, api) is var (splatKind, _))
        {
            kind = splatKind;
        }
        return target is not null && kind == ArgumentKind.Missing ? _dependencies.RequiresAtLeast(module.Path, since.Package, since.Version) : null;
    }

    /// <summary>
    /// The keyword argument <paramref name="selector"/> names when a <c>**</c> of the call unpacks a dict display of
    /// constant keys that holds it (<c>torch.load(f, **{"weights_only": True})</c>, or a name bound only to such a display
    /// and never changed in place: <c>options = {"weights_only": True}; torch.load(f, **options)</c>): no other argument
    /// can give it again (a keyword given twice raises TypeError), so it is found there whatever the other <c>**</c>
    /// hold (diffusers' <c>torch.load(f, **weights_only_kwarg, **extra_args)</c>); so is a keyword the function stores in
    /// the dict just before the call (<see cref="ForcedKeywords"/>), whatever a <c>*</c> holds. Missing when the call
    /// has no <c>*</c> and every <c>**</c> is such a display without it, or a dict whose keys are all known without it
    /// (<see cref="KnownKeys"/>: <c>options = {}; options["map_location"] = "cpu"</c>); null when a <c>*</c>, or a
    /// <c>**</c> of anything else, may give it. A dict chosen by the condition that chose <paramref name="api"/> as the
    /// callee is the display of that choice (<see cref="CorrelatedChoices"/>). A dict, or a store in it, that leaves the
    /// keyword out only where a version test says the library is older than the release that added it
    /// (<see cref="ArgumentCondition.AddedIn"/>) gives it as the newer side does (<see cref="VersionGatedKeywords"/>).
    /// </summary>
    private (ArgumentKind Kind, Expr? Value)? SplattedDisplays(CallExpr call, ArgumentCondition condition, EvalContext context, ApiValue api)
    {
        if (condition.Argument.Keyword is not { } keyword)
        {
            return null;
        }
        Func<IfStmt, IReadOnlyList<Stmt>?>? newerBranch = condition.AddedIn is { } addedIn
            ? gated => VersionGates.OlderSide(gated.Test, addedIn, _resolver, context) switch
            {
                false => gated.Body,
                true => gated.Orelse,
                null => null,
            }
            : null;
        var unknown = false;
        foreach (var splat in call.Keywords)
        {
            if (splat.Arg is not null)
            {
                continue;
            }
            var display = _resolver.DictDisplayOf(splat.Value, context) ?? CorrelatedChoices.KeywordsChosenWith(_resolver, call, splat.Value, context, api);
            if (display is null || !KnownKeys.TryValueOf(display, keyword, out var given))
            {
                if (splat.Value is NameExpr owner && ForcedKeywords.Find(context.Scope, call, owner.Id, keyword, newerBranch) is var (_, forced))
                {
                    return (ArgumentKind.Found, forced); // `kwargs["weights_only"] = False` just before the call
                }
                if (splat.Value is NameExpr gatedOwner && condition.AddedIn is { } release
                    && VersionGatedKeywords.Find(_resolver, gatedOwner, keyword, release, context) is { } gatedValue)
                {
                    return (ArgumentKind.Found, gatedValue); // `{"weights_only": True} if is_torch_version(">=", "1.13") else {}`
                }
                if (KnownKeys.Of(splat.Value, context.Scope) is { } keys && !keys.Contains(keyword))
                {
                    continue; // a local filled under other constant keys only
                }
                unknown = true; // not a display, a `**` inside the display, or a computed key
                continue;
            }
            if (given is not null)
            {
                return (ArgumentKind.Found, given);
            }
        }
        // Found in a `**` above whatever a `*` holds (given twice it raises TypeError); missing only without a `*`.
        return unknown || call.Args.Any(a => a is StarredExpr) ? null : (ArgumentKind.Missing, null);
    }

    /// <summary>Whether the condition holds for an argument found (or not) at the call it belongs to.</summary>
    private bool Holds(ArgumentCondition condition, ArgumentKind kind, Expr? value, EvalContext targetContext)
    {
        if (kind == ArgumentKind.Missing)
        {
            return MissingHolds(condition);
        }
        if (kind == ArgumentKind.Unknowable || value is null)
        {
            return false;
        }
        if (condition.Present)
        {
            return !MayBeNone(value, targetContext);
        }
        if (condition.Values.Count > 0)
        {
            var constants = Constants(value, targetContext);
            return constants.Count > 0 && constants.All(c => condition.Values.Any(v => Matches(v, c)));
        }
        var values = _resolver.Resolve(value, targetContext);
        return values.Count > 0 && values.All(v => IsSafeClass(v, condition.Classes, 0));
    }

    /// <summary>Whether the condition holds for an absent argument: a safe default, or a default class that is still safe here.</summary>
    private bool MissingHolds(ArgumentCondition condition) => condition.Missing switch
    {
        MissingArgumentVerdict.Safe => true,
        MissingArgumentVerdict.DefaultClass => IsSafeClass(new ApiValue(condition.MissingClass!), condition.Classes, 0),
        _ => false,
    };

    /// <summary>The literal(s) an argument provably is: a constant, or a name whose every reaching value is one.</summary>
    private List<ConstantExpr> Constants(Expr value, EvalContext context)
    {
        if (value is ConstantExpr constant)
        {
            return [constant];
        }
        var resolved = _resolver.Resolve(value, context);
        return resolved.All(v => v is ConstantSymbol)
            ? resolved.Cast<ConstantSymbol>().Select(c => c.Constant).ToList()
            : [];
    }

    /// <summary>
    /// The literal <c>None</c>, a name that may hold it where it is read, or an attribute every store of which may leave
    /// it (<c>accept=self.accept</c> where the constructor stores its <c>accept=None</c> default: kombu's consumers accept
    /// every content type then). Not an attribute a later store replaces with a list: the stores are not ordered
    /// (celery's backend, <c>self.accept = prepare_accept_content(self.accept)</c> after the default).
    /// </summary>
    private bool MayBeNone(Expr value, EvalContext context)
    {
        if (value is ConstantExpr { Value.Type: ConstantType.None })
        {
            return true;
        }
        if (value is not AttributeExpr attribute)
        {
            return HoldsNone(_resolver.Resolve(value, context));
        }
        var owners = _resolver.Resolve(attribute.Value, context);
        var stores = owners.Count == 1 ? _resolver.AttributeBindings(owners[0], attribute.Attr) : null;
        return stores is { Count: > 0 } && stores.All(store => HoldsNone(_resolver.ResolveBinding(store)));
    }

    private static bool HoldsNone(IReadOnlyList<SymbolicValue> values) =>
        values.Any(v => v is ConstantSymbol { Constant.Value.Type: ConstantType.None });

    internal static bool Matches(ModelLiteral literal, ConstantExpr constant) => constant.Value.Type switch
    {
        ConstantType.True => literal.Boolean == true,
        ConstantType.False => literal.Boolean == false,
        ConstantType.Str => literal.Text is { } text && text == constant.Value.AsString,
        _ => false,
    };

    /// <summary>
    /// A class named in the safe set (a library's, or a vendored copy's under the same qualified name), or a project
    /// class whose bases are all safe or neutral (project classes with no external bases, <c>object</c>) and at least
    /// one of them safe.
    /// </summary>
    private bool IsSafeClass(SymbolicValue value, IReadOnlyList<string> safe, int depth)
    {
        if (depth > MaxClassDepth)
        {
            return false;
        }
        if (IsExtendedLoader(value))
        {
            return false; // a safe loader given object-building constructors (SinkDetector.ExtendedLoaders.cs)
        }
        switch (value)
        {
            case ApiValue api:
                return safe.Contains(api.Path);
            case ClassValue cls when cls.Class.DefiningScope.Kind == Semantic.ScopeKind.Module
                && safe.Contains(cls.Class.DefiningScope.Module.Name + "." + cls.Class.Name):
                return true; // a vendored copy of the library's class (its qualified name is the library's)
            case ClassValue cls:
                var bases = _resolver.Bases(cls.Class);
                var anySafe = false;
                foreach (var baseValue in bases)
                {
                    if (IsSafeClass(baseValue, safe, depth + 1))
                    {
                        anySafe = true;
                    }
                    else if (!IsNeutral(baseValue, depth + 1))
                    {
                        return false;
                    }
                }
                return anySafe && bases.Count == cls.Class.Node.Bases.Count;
            default:
                return false;
        }
    }

    private bool IsNeutral(SymbolicValue value, int depth) => depth <= MaxClassDepth && value switch
    {
        ApiValue api => ValueResolver.IsMemberlessBase(api),
        ClassValue cls => _resolver.Bases(cls.Class).All(b => IsNeutral(b, depth + 1)),
        _ => false,
    };
}
