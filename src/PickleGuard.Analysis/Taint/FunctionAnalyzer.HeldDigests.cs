using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A hashing function held in an attribute or a parameter (MONAI's <c>PersistentDataset(..., hash_func=pickle_hashing)</c>
/// stores it in <c>self.hash_func</c>, then names a cache file <c>cache_dir / f"{self.hash_func(item)}.pt"</c>): the call
/// gives a digest, none of the item's bytes, when every function the project can put there returns one — the
/// parameter's default and what each of the project's calls of the function gives it, through parameters handed on
/// (<c>super().__init__(hash_func=hash_func)</c>), and any other store of the attribute. A function qualifies when
/// every <c>return</c> of it is a digest (<see cref="DigestReturnedBy"/>), a library callable when it clears taint
/// (<c>hashlib.md5</c>, <c>len</c>). Anything else that can be there — a lambda, a parameter no call of the project
/// gives, a value the resolver does not know — keeps the call passing its arguments through. A call the index does
/// not resolve (through an alias it does not follow) is not seen: the project's own calls decide, as a default does.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Parameters a function value is followed back through (as many as a safe flag's wrappers).</summary>
    private const int MaxHeldDigestHops = SafeFlag.MaxRelays;

    /// <summary>Values looked at for one call; past it the call passes its arguments through, as before.</summary>
    private const int MaxHeldDigestValues = 128;

    /// <summary>
    /// Whether <paramref name="call"/>, given some data, calls an attribute of the receiver or a parameter that holds
    /// only digest functions. The fixpoint asks at each visit of a call, so the answer is kept: for an attribute per
    /// class (<see cref="AttributeHoldsDigests"/>, which the calls of one attribute share), for a parameter per call.
    /// </summary>
    private bool CallsHeldDigest(CallExpr call, TaintValue[] positional, TaintValue[] keywords)
    {
        switch (call.Func)
        {
            case AttributeExpr { Value: NameExpr owner, Attr: var attribute } when SelfClass(owner) is { } cls:
                return !JoinArguments(positional, keywords).IsClean && AttributeHoldsDigests(cls, attribute);
            case NameExpr name when _unit.IndexOfParameter(name.Id) >= 0:
                if (JoinArguments(positional, keywords).IsClean)
                {
                    return false;
                }
                var answers = _program.Index.HeldDigestCalls;
                if (!answers.TryGetValue(call, out var known))
                {
                    known = answers.GetOrAdd(call, _module.CallSiteOf(call) is { } site
                        && new HeldDigestSearch(this).ParameterCallGivesDigests(name, EvalContext.At(site)));
                }
                return known;
            default:
                return false;
        }
    }

    /// <summary>Whether an instance of <paramref name="cls"/> holds only digest functions in <paramref name="attribute"/> (searched once per class and name).</summary>
    private bool AttributeHoldsDigests(ClassInfo cls, string attribute)
    {
        var answers = _program.Index.HeldDigestAttributes;
        if (!answers.TryGetValue((cls, attribute), out var known))
        {
            known = answers.GetOrAdd((cls, attribute), new HeldDigestSearch(this).AttributeGivesDigests(cls, attribute));
        }
        return known;
    }

    private sealed class HeldDigestSearch(FunctionAnalyzer analyzer)
    {
        private readonly HashSet<(TaintUnit, int)> _followed = [];

        /// <summary>Parameters some followed call may give through a <c>**</c> dict of unknown keys (<see cref="UnpackedLeavesOut"/>).</summary>
        private readonly HashSet<string> _unknownKeys = new(StringComparer.Ordinal);
        private int _values;

        private ValueResolver Resolver => analyzer._program.Resolver;

        private ProjectIndex Index => analyzer._program.Index;

        /// <summary>A call of a parameter (<c>hash_func(item)</c>): its default and what the project's calls give it.</summary>
        public bool ParameterCallGivesDigests(Expr function, EvalContext context) =>
            ValueGivesDigests(function, context, 0) && (_unknownKeys.Count == 0 || !_unknownKeys.Any(KeyWrittenElsewhere));

        /// <summary>
        /// <c>self.hash_func</c> on an instance of <paramref name="cls"/>: every binding of the attribute it may hold — in
        /// the body or through <c>self</c> in its class, its project bases and its subclasses, and any store made on
        /// another object (<c>ds.hash_func = f</c>) — gives digest functions only. A library base is taken to leave the
        /// name to the project's stores, as the resolver does (MONAI's datasets derive from torch's <c>Dataset</c>).
        /// </summary>
        public bool AttributeGivesDigests(ClassInfo cls, string attribute)
        {
            var bindings = new List<IReadOnlyList<Binding>> { Resolver.Project.AttributeStoresOf(attribute) };
            foreach (var holder in Resolver.ClassAndBases(cls).Concat(Index.DescendantsOf(cls)))
            {
                bindings.Add(holder.BodyScope.BindingsOf(attribute));
                if (holder.InstanceAttributes.TryGetValue(attribute, out var assigned))
                {
                    bindings.Add(assigned);
                }
            }
            // Looked over before any value is resolved: most attributes called on `self` are a method somewhere, or never stored.
            if (bindings.TrueForAll(static group => group.Count == 0) || !bindings.TrueForAll(static group => group.All(IsAssignment)))
            {
                return false;
            }
            foreach (var store in bindings.SelectMany(static group => group).Distinct())
            {
                if (!ValueGivesDigests(store.Value!, EvalContext.Of(store), 0))
                {
                    return false;
                }
            }
            return _unknownKeys.Count == 0 || !_unknownKeys.Any(KeyWrittenElsewhere);
        }

        private static bool IsAssignment(Binding binding) => binding is { Kind: BindingKind.Assignment, Augments: false, Value: not null };

        /// <summary>
        /// An expression given as the function: <c>None</c>, a parameter of the function it is written in (its default and
        /// its callers' arguments), or what the resolver says it is — each a digest function.
        /// </summary>
        private bool ValueGivesDigests(Expr value, EvalContext context, int hops)
        {
            if (++_values > MaxHeldDigestValues)
            {
                return false;
            }
            if (value is ConstantExpr { Value.Type: ConstantType.None })
            {
                return true; // calling it raises: no name is made
            }
            if (value is NameExpr name && ParameterOf(context.Scope, name.Id) is { } parameter)
            {
                return Index.UnitOfScope(context.Scope) is { } function && function.Scope == context.Scope
                    && ParameterGivesDigests(function, parameter, hops + 1);
            }
            var values = Resolver.Resolve(value, context);
            if (values.Count == 0)
            {
                return false;
            }
            foreach (var resolved in values)
            {
                var digest = resolved switch
                {
                    FunctionValue function => Index.UnitOf(function.Function) is { } unit && analyzer.DigestReturnedBy(unit) != ReturnedDigest.Other,
                    ApiValue api => analyzer._program.Models.Taint.SanitizerFor(api.Path) is { Effect: SanitizerEffect.Clears },
                    _ => false,
                };
                if (!digest)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>
        /// A parameter's values: its default, and the argument each call of its function in the project gives for it
        /// (the default where one leaves it out). A call passing <c>*args</c> or <c>**kwargs</c> may give anything.
        /// None when neither a default nor a call of the project says what it holds.
        /// </summary>
        private bool ParameterGivesDigests(TaintUnit function, Binding parameter, int hops)
        {
            var index = function.IndexOfParameter(parameter.Name);
            if (hops > MaxHeldDigestHops || index < 0 || index == function.VarargIndex || index == function.KwargIndex)
            {
                return false;
            }
            if (!_followed.Add((function, index)))
            {
                return true; // already being followed: what it holds is decided there
            }
            var known = false;
            if (parameter.Default is { } given && function.Scope.Parent is { } defining)
            {
                if (!ValueGivesDigests(given, new EvalContext(defining, parameter.Offset, parameter.Blocks), hops))
                {
                    return false;
                }
                known = true;
            }
            foreach (var module in function.Callers.Select(static caller => caller.Module).Distinct())
            {
                foreach (var site in module.Calls)
                {
                    if (Index.CallOf(module, site.Call) is not { } info || OffsetOfCall(info, function) is not { } offset)
                    {
                        continue;
                    }
                    if (ArgumentFor(function, site.Call, index, offset) is { } argument)
                    {
                        if (!ValueGivesDigests(argument, EvalContext.At(site), hops))
                        {
                            return false;
                        }
                        known = true;
                    }
                    else if (parameter.Default is null || index < function.PositionalCount && site.Call.Args.Any(static a => a is StarredExpr)
                        || !UnpackedLeavesOut(site, parameter.Name))
                    {
                        return false; // required, or a `*args` may fill it
                    }
                }
            }
            return known;
        }

        /// <summary>
        /// Whether the <c>**</c> arguments of <paramref name="site"/> leave out the keyword <paramref name="name"/>: their
        /// keys are known (<see cref="Detection.KnownKeys"/>) and it is not one, or they are not known and a function
        /// could only be put under that key by the program (data holds no functions), which no code outside the calls
        /// followed does (<see cref="KeyWrittenElsewhere"/>, checked once the search is over: MONAI's tests build
        /// <c>LMDBDataset(..., **kwargs)</c> from parameterized cases that give <c>db_name</c> and <c>lmdb_kwargs</c>).
        /// </summary>
        private bool UnpackedLeavesOut(CallSite site, string name)
        {
            foreach (var keyword in site.Call.Keywords)
            {
                if (keyword.Arg is not null)
                {
                    continue;
                }
                if (Detection.KnownKeys.Of(keyword.Value, site.Scope) is not { } keys)
                {
                    _unknownKeys.Add(name);
                }
                else if (keys.Contains(name))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>
        /// Whether some code may put a function under the key <paramref name="name"/> of a dict: a string literal of it
        /// anywhere in the project (<c>{"hash_func": f}</c>, <c>d["hash_func"] = f</c>), or a call passing it by keyword
        /// that is none of the calls followed (<c>dict(hash_func=f)</c>, a wrapper gathering it into its <c>**kwargs</c>).
        /// </summary>
        private bool KeyWrittenElsewhere(string name)
        {
            var mentions = Index.HeldDigestKeyMentions.GetOrAdd(name, static (name, modules) => KeyMentions.Of(modules, name), Index.Modules);
            if (mentions.Quoted)
            {
                return true;
            }
            foreach (var module in mentions.Modules)
            {
                foreach (var site in module.Calls)
                {
                    foreach (var keyword in site.Call.Keywords)
                    {
                        if (keyword.Arg == name && !CallsFollowed(Index.CallOf(module, site.Call), name))
                        {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /// <summary>Whether a call resolved to <paramref name="info"/> calls a function whose parameter <paramref name="name"/> was followed.</summary>
        private bool CallsFollowed(CallInfo? info, string name)
        {
            if (info is null)
            {
                return false;
            }
            foreach (var (unit, _) in info.Functions)
            {
                if (_followed.Contains((unit, unit.IndexOfParameter(name))))
                {
                    return true;
                }
            }
            foreach (var (_, init) in info.Classes)
            {
                if (init is not null && _followed.Contains((init, init.IndexOfParameter(name))))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>The parameters a call of <paramref name="function"/> resolved to <paramref name="info"/> fills before its arguments, or null when it does not call it.</summary>
        private static int? OffsetOfCall(CallInfo info, TaintUnit function)
        {
            foreach (var (unit, bound) in info.Functions)
            {
                if (unit == function)
                {
                    return (bound ? 1 : 0) + info.BoundPositionals;
                }
            }
            foreach (var (_, init) in info.Classes)
            {
                if (init == function)
                {
                    return 1;
                }
            }
            return null;
        }

        /// <summary>The parameter binding <paramref name="name"/> has in <paramref name="scope"/>, when that is its only binding there.</summary>
        private static Binding? ParameterOf(Scope scope, string name) =>
            scope.BindingsOf(name) is [{ Kind: BindingKind.Parameter } parameter] ? parameter : null;
    }
}
