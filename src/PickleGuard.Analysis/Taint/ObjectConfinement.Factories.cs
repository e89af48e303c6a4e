using System.Collections.Concurrent;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Factories (docs/taint.md, design item 8): a plain function every return of which hands over a fresh object of one
/// tracked project class, made there and used there only as a confined object is (<c>return C(...)</c>, or a local
/// bound only to such objects and returned), so each call makes a new object nothing else holds. Its summary says
/// which of its inputs end up in which attributes of the object it returns; a caller that keeps the object to itself
/// gets them per object, any other caller as class-wide facts.
/// </summary>
internal sealed partial class ObjectConfinement
{
    /// <summary>How many factories deep a chain (a factory returning another factory's object) is followed.</summary>
    private const int MaxFactoryChain = 4;

    /// <summary>The project function a call can only be, when it is a factory (<see cref="TaintUnit.FreshClass"/> set), else null.</summary>
    private TaintUnit? FactoryOf(ModuleModel module, CallExpr call)
    {
        var info = Index.CallOf(module, call);
        if (info is null || info.Functions.Length != 1 || !info.Classes.IsEmpty || info.PassesThrough || info.Source is not null || !info.Sinks.IsEmpty)
        {
            return null;
        }
        var (unit, bound) = info.Functions[0];
        return bound ? null : unit.FreshClass is null ? null : unit;
    }

    /// <summary>
    /// Sets <see cref="TaintUnit.FreshClass"/> on every factory of the project (before <see cref="FindAll"/> looks for
    /// confined objects, whose bindings may be factory calls). A candidate is a function defined outside a class body
    /// (a method could be overridden where the resolver saw the base's), with no decorator (<c>lru_cache</c> hands the
    /// same object to every caller), no <c>yield</c> (a generator returns a generator), called somewhere in the project and
    /// named nowhere but as the callee of a call (<see cref="FactoryReferenceFinder"/>: a function passed or stored as a
    /// value is called where no summary is applied, and its object's attributes would be lost). Rounds find factories of
    /// factories, callees first, up to <see cref="MaxFactoryChain"/> deep; a recursive factory is none.
    /// </summary>
    public static void FindFactories(ProjectIndex index, ConcurrentBag<TaintProgram> workers, Func<TaintProgram> newWorker, CancellationToken ct)
    {
        var candidates = new List<TaintUnit>();
        foreach (var unit in index.Units)
        {
            if (unit.Function is { Owner: null, Node: FunctionDefStmt { DecoratorList.Count: 0 } } function && unit.Callers.Length > 0 && IsFactoryShaped(function.Returns))
            {
                candidates.Add(unit);
            }
        }
        // Which names are used as values is looked up only for the factories found (few). Those that are are left out
        // and the rest of them judged again (a factory of one of them is no factory either): with fewer factories no
        // other candidate can become one, and the second set is part of the first, whose names were all looked up.
        var found = FindFactoryRounds(candidates, workers, newWorker, ct);
        if (found.Count == 0)
        {
            return;
        }
        var referenced = FactoryReferenceFinder.ValueReferences(index, found);
        if (referenced.Count == 0)
        {
            return;
        }
        foreach (var unit in found)
        {
            unit.FreshClass = null;
        }
        found.RemoveAll(referenced.Contains);
        FindFactoryRounds(found, workers, newWorker, ct);
    }

    /// <summary>Whether <paramref name="unit"/> calls one of <paramref name="callees"/>.</summary>
    private static bool CallsAny(TaintUnit unit, HashSet<TaintUnit> callees)
    {
        foreach (var callee in unit.Callees)
        {
            if (callees.Contains(callee))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Sets <see cref="TaintUnit.FreshClass"/> on the factories among <paramref name="candidates"/>, callees first; returns
    /// them. A round judges its candidates in slices, one worker each (the fixpoint reuses them).
    /// </summary>
    private static List<TaintUnit> FindFactoryRounds(List<TaintUnit> candidates, ConcurrentBag<TaintProgram> workers, Func<TaintProgram> newWorker, CancellationToken ct)
    {
        var pending = candidates.ToArray();
        var all = new List<TaintUnit>();
        var latest = new HashSet<TaintUnit>();
        for (var round = 0; round < MaxFactoryChain && pending.Length > 0; round++)
        {
            // Every candidate of a round is judged against the factories of the earlier rounds only: the result does not
            // depend on the order or the slices. After the first round only a candidate calling a factory just found can become one.
            var judged = round == 0 ? pending : pending.Where(unit => CallsAny(unit, latest)).ToArray();
            var classes = new ClassInfo?[judged.Length];
            var slices = Math.Clamp(judged.Length / 256, 1, Environment.ProcessorCount);
            Parallel.For(0, slices, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = slices }, slice =>
            {
                var program = workers.TryTake(out var worker) ? worker : newWorker();
                for (var i = slice; i < judged.Length; i += slices)
                {
                    classes[i] = program.Confinement.FreshClassOf(judged[i]);
                }
                workers.Add(program);
            });
            latest = [];
            for (var i = 0; i < judged.Length; i++)
            {
                if (classes[i] is { } cls)
                {
                    judged[i].FreshClass = cls;
                    latest.Add(judged[i]);
                    all.Add(judged[i]);
                }
            }
            if (latest.Count == 0)
            {
                break;
            }
            pending = pending.Where(unit => unit.FreshClass is null).ToArray();
        }
        return all;
    }

    /// <summary>Returns only of calls, names and constants (a constant carries no attributes a caller could follow), at least one not a constant.</summary>
    private static bool IsFactoryShaped((Expr? Value, BlockPath Blocks)[] returns)
    {
        var made = false;
        foreach (var (value, _) in returns)
        {
            switch (value)
            {
                case CallExpr or NameExpr:
                    made = true;
                    break;
                case null or ConstantExpr:
                    break;
                default:
                    return false;
            }
        }
        return made;
    }

    /// <summary>
    /// The one class every return of <paramref name="unit"/> makes a fresh, unshared object of, else null. Cheapest
    /// first (most candidates return something else, or a local they pass on): the classes the returns make, then the
    /// syntax of the returned locals' uses, then the class and its methods.
    /// </summary>
    private ClassInfo? FreshClassOf(TaintUnit unit)
    {
        ClassInfo? result = null;
        TaintUnit? init = null;
        HashSet<string>? locals = null;
        foreach (var (value, _) in unit.Function!.Returns)
        {
            if (value is null or ConstantExpr)
            {
                continue; // no attributes a caller could follow
            }
            var (made, madeInit) = value switch
            {
                CallExpr call => MadeClass(unit.Module, call),
                NameExpr name => ConstructedClass(unit, name.Id),
                _ => (null, null),
            };
            if (made is null || result is not null && made != result)
            {
                return null;
            }
            result = made;
            init ??= madeInit;
            if (value is NameExpr local)
            {
                (locals ??= new HashSet<string>(StringComparer.Ordinal)).Add(local.Id);
            }
        }
        if (result is null
            || locals is not null && locals.Any(name => new ObjectUseChecker(name, static (_, _) => true, static _ => true, static _ => true, null, returnAllowed: true).Check(unit.Body).Escapes)
            || !Tracks(result) || init is not null && !KeepsSelf(result, init)
            || locals is not null && locals.Any(name => LocalEscapes(unit, name, result, returnAllowed: true)))
        {
            return null;
        }
        // A generator returns a generator (a walk of the body, so last): a checker of a name no code uses sees the yields.
        return new ObjectUseChecker("", static (_, _) => true, static _ => true, null, null, false).Check(unit.Body).HasYield ? null : result;
    }
}
