using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Which receivers are ends of a pair that a modelled factory made in the project (<c>parent, child =
/// multiprocessing.Pipe()</c>, <see cref="Models.SinkModel.PairFactories"/>), however the program keeps them:
/// unpacked, indexed, looped over, gathered from many pairs with <c>zip(*[Pipe() for ...])</c>, stored in an attribute
/// of a project object (stable-baselines3's SubprocVecEnv), returned by a project function. The resolver knows none
/// of these: a library call's result is never unpacked there.
/// <para>
/// An expression is traced to the nestings it may have: 0 an end, 1 a pair or a list of ends, 2 a list of pairs, and
/// so on, one bit each. A loop target may be the element or, unpacked, the element's items: both bits are kept, and a
/// <c>recv()</c> can only work on an end, so bit 0 is what decides. A name or attribute is traced only when every
/// binding or store of it is (a None store aside): a socket or a project queue with a <c>recv</c> never is.
/// </para>
/// </summary>
internal sealed partial class PairEnds(ValueResolver resolver, IReadOnlyDictionary<string, string> factoryClasses)
{
    /// <summary>How many expressions one question may trace (names bound to themselves, long chains).</summary>
    private const int MaxSteps = 40;

    /// <summary>The nestings a traced expression may have (bit n: nested n deep) and the class of its ends; a None is neither.</summary>
    private readonly record struct Nesting(string? Class, int Bits)
    {
        public static readonly Nesting None = new(null, 0);

        public Nesting Inner => this with { Bits = Bits >> 1 };

        public Nesting Outer => this with { Bits = Bits << 1 };
    }

    /// <summary>The class of the ends <paramref name="receiver"/> may be, when it is only ever made by a pair factory; else null.</summary>
    public string? EndClassOf(Expr receiver, EvalContext context)
    {
        var steps = 0;
        return Trace(receiver, context, ref steps) is { Class: { } cls, Bits: var bits } && (bits & 1) != 0 ? cls : null;
    }

    private Nesting? Trace(Expr expr, EvalContext context, ref int steps)
    {
        if (++steps > MaxSteps)
        {
            return null;
        }
        return expr switch
        {
            ConstantExpr { Value.Type: ConstantType.None } => Nesting.None,
            CallExpr call => TraceCall(call, context, ref steps),
            SubscriptExpr { Slice: SliceExpr } part => Trace(part.Value, context, ref steps),
            SubscriptExpr item => Trace(item.Value, context, ref steps)?.Inner,
            ListCompExpr comprehension => TraceComprehension(comprehension.Elt, comprehension.Generators, context, ref steps),
            GeneratorExpr generator => TraceComprehension(generator.Elt, generator.Generators, context, ref steps),
            TupleExpr or ListExpr => TraceAll(Displays.ItemsOf(expr)!, context, ref steps),
            NameExpr name => TraceBindings(resolver.ReachingBindings(name.Id, context), ref steps),
            AttributeExpr attribute => TraceAttribute(attribute, context, ref steps),
            _ => null,
        };
    }

    /// <summary>
    /// A list of what the element is: <c>[ctx.Pipe() for _ in range(n)]</c>, <c>[self.remotes[i] for i in indices]</c>,
    /// <c>[pair[0] for pair in pipes]</c>. A name the comprehension binds is an item of its generator's iterable (an
    /// item's item, in a tuple target: <c>[child for _, child in pipes]</c>), and a later iterable may rest on an
    /// earlier name (<c>[ends[1] for group in groups for ends in group]</c>).
    /// </summary>
    private Nesting? TraceComprehension(Expr element, IReadOnlyList<Comprehension> generators, EvalContext context, ref int steps)
    {
        var bound = new Dictionary<string, Nesting?>(StringComparer.Ordinal);
        foreach (var generator in generators)
        {
            var iterable = TraceInComprehension(generator.Iter, bound, context, ref steps);
            if (generator.Target is NameExpr name)
            {
                bound[name.Id] = iterable?.Inner;
                continue;
            }
            foreach (var item in Displays.ItemsOf(generator.Target) ?? [generator.Target])
            {
                // A name deeper in the target (`for (a, b), c in ...`) or starred is not traced.
                var unpacked = item is NameExpr ? iterable?.Inner.Inner : null;
                foreach (var each in NameCollector.Of(item))
                {
                    bound[each] = unpacked;
                }
            }
        }
        return TraceInComprehension(element, bound, context, ref steps)?.Outer;
    }

    /// <summary>
    /// An expression of a comprehension: a name it binds is what <paramref name="bound"/> says, an item of one is one
    /// level in; anything else resting on such a name is not traced; the rest is read in the enclosing scope.
    /// </summary>
    private Nesting? TraceInComprehension(Expr expr, IReadOnlyDictionary<string, Nesting?> bound, EvalContext context, ref int steps)
    {
        if (!RestsOn(expr, bound))
        {
            return Trace(expr, context, ref steps);
        }
        return expr switch
        {
            NameExpr name => bound[name.Id],
            SubscriptExpr { Slice: SliceExpr } part => TraceInComprehension(part.Value, bound, context, ref steps),
            SubscriptExpr item => TraceInComprehension(item.Value, bound, context, ref steps)?.Inner,
            _ => null,
        };
    }

    /// <summary>Whether the value of <paramref name="expr"/> rests on one of the names <paramref name="bound"/> holds (an index does not: <c>self.remotes[i]</c>).</summary>
    private static bool RestsOn(Expr expr, IReadOnlyDictionary<string, Nesting?> bound) => expr switch
    {
        NameExpr name => bound.ContainsKey(name.Id),
        SubscriptExpr item => RestsOn(item.Value, bound),
        AttributeExpr attribute => RestsOn(attribute.Value, bound),
        CallExpr call => RestsOn(call.Func, bound) || call.Args.Any(argument => NameCollector.Of(argument).Any(bound.ContainsKey)),
        _ => NameCollector.Of(expr).Any(bound.ContainsKey),
    };

    /// <summary>A loop target over <paramref name="iterable"/>: one of its items or, a tuple target, one of their items in turn.</summary>
    private static Nesting ItemOf(Nesting iterable) => iterable with { Bits = iterable.Bits >> 1 | iterable.Bits >> 2 };

    /// <summary>
    /// A factory's pair; what a project function returns; the builtins that keep or regroup what they are given: <c>list</c> and <c>tuple</c> keep it,
    /// <c>zip(*pairs)</c> regroups the n-th ends of all pairs together (as deep as before), <c>zip(a, b)</c> and
    /// <c>enumerate(a)</c> make tuples of their arguments' items (one level deeper).
    /// </summary>
    private Nesting? TraceCall(CallExpr call, EvalContext context, ref int steps)
    {
        var callees = resolver.Resolve(call.Func, context);
        if (FactoryClass(callees) is { } cls)
        {
            return new Nesting(cls, 0b10);
        }
        if (callees.Count > 0 && callees.All(callee => callee is FunctionValue))
        {
            return TraceReturns(callees, ref steps);
        }
        // `zip(..., strict=True)` pairs the same items.
        if (call.Keywords.Any(keyword => keyword.Arg != "strict") || callees is not [ApiValue { Path: var path }])
        {
            return null;
        }
        return (path, call.Args) switch
        {
            ("builtins.list" or "builtins.tuple", [var kept]) when kept is not StarredExpr => Trace(kept, context, ref steps),
            ("builtins.zip", [StarredExpr pairs]) => Trace(pairs.Value, context, ref steps) is { } regrouped
                ? regrouped with { Bits = regrouped.Bits & ~0b11 }
                : null,
            ("builtins.zip", { Count: > 0 } zipped) when !zipped.Any(a => a is StarredExpr) => TraceAll(zipped, context, ref steps),
            ("builtins.enumerate", [var counted]) when counted is not StarredExpr => Trace(counted, context, ref steps)?.Outer,
            _ => null,
        };
    }

    /// <summary>What every <c>return</c> of the project functions returns (a bare <c>return</c> is None): <c>_get_target_remotes(indices)</c>.</summary>
    private Nesting? TraceReturns(IReadOnlyList<SymbolicValue> functions, ref int steps)
    {
        var all = Nesting.None;
        foreach (var callee in functions)
        {
            var function = ((FunctionValue)callee).Function;
            foreach (var (value, blocks) in function.Returns)
            {
                var returned = value is null ? Nesting.None : Trace(value, new EvalContext(function.Scope, value.Span.Start, blocks), ref steps);
                if (returned is not { } traced || Join(all, traced) is not { } joined)
                {
                    return null;
                }
                all = joined;
            }
        }
        return all.Class is null ? null : all;
    }

    /// <summary>The class every callee's factory makes pairs of, when every callee is a factory of the same class.</summary>
    private string? FactoryClass(IReadOnlyList<SymbolicValue> callees)
    {
        string? found = null;
        foreach (var callee in callees)
        {
            if (callee is not ApiValue api || !factoryClasses.TryGetValue(api.Path, out var cls) || found is not null && cls != found)
            {
                return null;
            }
            found = cls;
        }
        return found;
    }

    /// <summary>A tuple of the items of each expression (a display's elements, <c>zip</c>'s arguments), when all are traced.</summary>
    private Nesting? TraceAll(IReadOnlyList<Expr> items, EvalContext context, ref int steps)
    {
        var all = Nesting.None;
        foreach (var item in items)
        {
            if (item is StarredExpr || Trace(item, context, ref steps) is not { } traced || Join(all, traced) is not { } joined)
            {
                return null;
            }
            all = joined;
        }
        return all.Class is null ? null : all.Outer;
    }

    private Nesting? TraceBindings(IReadOnlyList<Binding> bindings, ref int steps)
    {
        if (bindings.Count == 0)
        {
            return null;
        }
        var all = Nesting.None;
        foreach (var binding in bindings)
        {
            if (TraceBinding(binding, ref steps) is not { } traced || Join(all, traced) is not { } joined)
            {
                return null;
            }
            all = joined;
        }
        return all;
    }

    /// <summary>
    /// An assignment is its value; a name unpacked at a known position one of the value's items; a loop target one of
    /// the iterable's items, or (a tuple target) one of their items in turn; a parameter what the calls pass
    /// (<see cref="TraceParameter"/>).
    /// </summary>
    private Nesting? TraceBinding(Binding binding, ref int steps)
    {
        if (binding.Kind == BindingKind.Parameter)
        {
            return TraceParameter(binding, ref steps);
        }
        if (binding.Value is not { } value || binding.Augments)
        {
            return null;
        }
        var context = EvalContext.Of(binding);
        return binding.Kind switch
        {
            BindingKind.Assignment => Trace(value, context, ref steps),
            BindingKind.Unpacked when binding.Element >= 0 => Trace(value, context, ref steps)?.Inner,
            BindingKind.ForTarget or BindingKind.ComprehensionTarget when binding.Node is NameExpr => Trace(value, context, ref steps) is { } iterable
                ? ItemOf(iterable)
                : null,
            _ => null,
        };
    }

    /// <summary>
    /// <c>self.attr</c> in a method, or the attribute of another project object (dask's <c>self._tracker.parent_conn</c>,
    /// <c>self._tracker = _Tracker()</c>): what every store of that attribute in the object's class and its project
    /// bases holds.
    /// </summary>
    private Nesting? TraceAttribute(AttributeExpr attribute, EvalContext context, ref int steps)
    {
        var owners = resolver.Resolve(attribute.Value, context);
        var stores = new List<Binding>();
        foreach (var owner in owners)
        {
            if (owner is not InstanceValue instance)
            {
                // None (`self._tracker = None` until started) holds no attribute to read.
                if (owner is ConstantSymbol { Constant.Value.Type: ConstantType.None })
                {
                    continue;
                }
                return null;
            }
            foreach (var cls in resolver.ClassAndBases(instance.Class))
            {
                if (cls.InstanceAttributes.TryGetValue(attribute.Attr, out var stored))
                {
                    stores.AddRange(stored);
                }
            }
        }
        return TraceBindings(stores, ref steps);
    }

    /// <summary>Two traced values one expression may be: both nestings, when they are ends of the same class.</summary>
    private static Nesting? Join(Nesting a, Nesting b) =>
        a.Class is not null && b.Class is not null && a.Class != b.Class ? null : new Nesting(a.Class ?? b.Class, a.Bits | b.Bits);
}
