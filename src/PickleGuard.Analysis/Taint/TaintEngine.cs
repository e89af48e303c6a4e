using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Inter-procedural, cross-module taint analysis: resolves every call once (in parallel), then computes function
/// summaries bottom-up over the strongly connected components of the call graph (callees first, a bounded
/// fixpoint inside recursive groups), and repeats for the functions whose instance attributes or outer variables
/// changed. Only the functions that can change a finding are analysed (<see cref="RelevantUnits"/>). The components of one level of the call graph run in parallel; each sees the whole-program facts as
/// they were when its level started, and what it writes is applied in component order after the level, so the
/// result does not depend on the number of threads or their timing. The result is, per sink call, the most severe
/// source that reaches it with the path.
/// </summary>
internal sealed class TaintEngine
{
    private readonly ModelSet _models;
    private readonly TaintOptions _options;

    private readonly HashSet<string> _receiverContexts;

    public TaintEngine(ModelSet models, TaintOptions options)
    {
        _models = models;
        _options = options;
        _receiverContexts = ReceiverContexts.Of(models);
    }

    /// <param name="index">The index whose calls sink detection resolved (<see cref="ProjectIndex.ResolveModule"/>).</param>
    public TaintResult Run(ProjectModel project, ISet<string> modelNamespaces, ProjectIndex index, CancellationToken ct)
    {
        var clock = ScanTimings.Start();
        var store = new TaintStore();
        var workers = new ConcurrentBag<TaintProgram>();
        TaintProgram NewWorker() => new(store, index, _models, _options, new ValueResolver(project, modelNamespaces, _receiverContexts));
        // Which units write which whole-program facts needs no call graph: found (one core) while the other links it.
        // The relevant units' pass resolves class chains as the analyses will: its worker (and that cache) joins the pool.
        var finder = NewWorker();
        // The subclasses first: narrowing a dispatch on a parameter keeps the overrides its callers' subclasses run.
        index.FindBaseClasses(finder.ClassAndBases);
        index.NarrowParameterDispatch(finder.Resolver);
        // Before the facts' writers are found: the copies of methods for receiver classes are units too.
        index.SpecialiseReceivers(finder.Resolver);
        var writers = Task.Run(() => new FactWriters(index, finder.ClassAndBases), ct);
        index.Complete();
        ScanTimings.Lap(clock, "taint index");
        // The call graph's levels and the relevant units (one core each) are found while the confinement pass runs:
        // none of the three writes what the others read.
        var levels = Task.Run(() => CallGraphLevels.Build(index.Units), ct);
        var relevantUnits = Task.Run(() => RelevantUnits.Find(index, writers.GetAwaiter().GetResult(), finder.ClassAndBases), ct);
        ObjectConfinement.FindAll(index, workers, NewWorker, ct);
        var graph = levels.GetAwaiter().GetResult();
        var relevant = relevantUnits.GetAwaiter().GetResult();
        workers.Add(finder);
        ScanTimings.Lap(clock, "taint confinement, levels and relevant units");
        var notes = new List<InputError>();
        // Sized once for the first round, which marks every relevant unit (growing to it was a copy per doubling).
        var dirty = new HashSet<TaintUnit>(relevant.Count(isRelevant => isRelevant));
        // Per component: some member is dirty this round (the levels filter on it without a lookup per member).
        var pending = new bool[graph.Components.Count];
        void MarkDirty(TaintUnit unit)
        {
            if (relevant[unit.Id] && dirty.Add(unit))
            {
                pending[graph.ComponentOf(unit)] = true;
            }
        }
        index.Units.ForEach(MarkDirty);
        // One team for every level of every round: Parallel.For per level woke sleeping pool threads each time.
        using var team = new WorkerTeam<TaintProgram>(ScanParallelism.Threads, () => workers.TryTake(out var worker) ? worker : NewWorker(), ct);
        // Logs are applied right after their level: the next level reuses them and the room their lists grew.
        var spareLogs = new Stack<ComponentLog>();
        for (var round = 0; round < _options.MaxRounds && dirty.Count > 0 && !Exhausted(store); round++)
        {
            store.ChangedKeys.Clear();
            foreach (var level in graph.Levels)
            {
                if (Exhausted(store))
                {
                    break;
                }
                store.Level++;
                var work = level.Where(c => pending[c]).ToArray();
                var logs = new ComponentLog[work.Length];
                for (var i = 0; i < logs.Length; i++)
                {
                    logs[i] = spareLogs.TryPop(out var spare) ? spare : new ComponentLog();
                }
                var collectDirtyCallers = round > 0;
                team.Run(work.Length, (i, worker) =>
                    AnalyseComponent(worker, logs[i], graph, work[i], collectDirtyCallers));
                foreach (var log in logs)
                {
                    store.Apply(log);
                    foreach (var caller in log.DirtyCallers)
                    {
                        MarkDirty(caller);
                    }
                    notes.AddRange(log.Notes);
                    log.Clear();
                    spareLogs.Push(log);
                }
            }
            dirty.Clear();
            Array.Clear(pending);
            if (store.ChangedKeys.Count > 0)
            {
                // Checked in parallel (every relevant unit's reads against the changed keys), marked in unit order. The
                // others were never analysed (and MarkDirty would skip them): their unit objects are not even loaded.
                var changed = store.ChangedKeys;
                var affected = new bool[index.Units.Count];
                var filter = new GlobalKeyFilter(changed.Keys);
                team.Run(index.Units.Count, (u, _) => affected[u] = relevant[u] && ReadsChangedKey(index.Units[u], changed, filter));
                for (var u = 0; u < affected.Length; u++)
                {
                    if (affected[u])
                    {
                        MarkDirty(index.Units[u]);
                    }
                }
            }
            if (round == _options.MaxRounds - 1 && dirty.Count > 0 && !Exhausted(store))
            {
                notes.Add(new InputError(dirty.First().Module.Path,
                    $"taint analysis stopped after {_options.MaxRounds} rounds with {dirty.Count} function(s) still affected by attribute or global changes; paths through them may be missing"));
            }
        }
        if (Exhausted(store))
        {
            notes.Add(new InputError(project.Modules.Count > 0 ? project.Modules[0].Path : "",
                $"taint analysis stopped after its budget of {_options.MaxTotalSteps} steps; precision was cut: findings without a proven path keep their sink-level severity"));
        }
        foreach (var unit in index.Units.Where(u => u.Truncated))
        {
            notes.Add(new InputError(unit.Module.Path, $"taint analysis of '{unit.Name}' was cut short at {_options.MaxStepsPerFunction} steps; paths through it may be missing"));
        }
        ScanTimings.Lap(clock, $"taint fixpoint ({graph.Levels.Count} levels)");
        // A unit failing in every round it is due in leaves one note.
        return new TaintResult(store.Hits.Values.ToArray(), HeldBack(index, store), notes.Distinct().ToList());
    }

    /// <summary>
    /// For each sink with no hit, the first guarded hit of the units (in index order) that no call released: the flag
    /// that holds the source's data back, as the parameter of the outermost function that has it.
    /// </summary>
    private static HeldBackHit[] HeldBack(ProjectIndex index, TaintStore store)
    {
        var held = new Dictionary<Python.Expr, HeldBackHit>();
        foreach (var unit in index.Units)
        {
            if (unit.Summary.GuardedHits is not { } guarded)
            {
                continue; // most units guard nothing
            }
            foreach (var (sink, (flag, origin)) in guarded)
            {
                if (!store.Hits.ContainsKey(sink.At) && (!held.TryGetValue(sink.At, out var other) || flag.Relays > other.Relays))
                {
                    held[sink.At] = new HeldBackHit(sink, origin, flag.Describe(unit), flag.Relays);
                }
            }
        }
        return [.. held.Values];
    }

    /// <summary>
    /// Whether <paramref name="unit"/>'s last analysis read a key that grew at its level or later — a change it did not
    /// see. Changes applied at an earlier level were there when it ran. (A plain loop, no allocation: this runs per
    /// unit and round.)
    /// </summary>
    private static bool ReadsChangedKey(TaintUnit unit, Dictionary<GlobalKey, int> changed, GlobalKeyFilter filter)
    {
        foreach (var key in unit.ReadKeys)
        {
            if (filter.MayContain(key) && changed.TryGetValue(key, out var level) && level >= unit.AnalysedAtLevel)
            {
                return true;
            }
        }
        return false;
    }

    private bool Exhausted(TaintStore store) => store.TotalSteps > _options.MaxTotalSteps;

    /// <summary>
    /// Analyses the component at <paramref name="position"/> (iterating a recursive group to its fixpoint, bounded) into
    /// the empty log <paramref name="log"/>; callers whose callee's summary changed go into the log, to run later in the
    /// round — except in the first round, where every function is due anyway (marking them was a sequential pass over
    /// every call edge).
    /// </summary>
    private void AnalyseComponent(TaintProgram program, ComponentLog log, CallGraphLevels graph, int position, bool collectDirtyCallers)
    {
        var component = graph.Components[position];
        var recursive = graph.IsRecursive(position);
        program.BeginComponent(log, recursive ? graph : null, position);
        var iterations = 0;
        var analyses = 0;
        bool changed;
        do
        {
            changed = false;
            for (var u = 0; u < component.Count; u++) // not foreach: no enumerator object per iteration
            {
                var unit = component[u];
                var before = unit.Summary.Size;
                program.BeginReads();
                if (program.Analyzer is { } analyzer)
                {
                    analyzer.Reset(unit);
                }
                else
                {
                    program.Analyzer = analyzer = new FunctionAnalyzer(program, unit);
                }
                if (!TryRun(analyzer, unit, log))
                {
                    program.Analyzer = null; // its state is whatever the failure left: the next unit gets a fresh one
                }
                program.EndReads(unit);
                analyses++;
                if (unit.Summary.Size != before)
                {
                    changed = true;
                    if (collectDirtyCallers)
                    {
                        log.AddDirtyCallers(unit.Callers);
                    }
                }
            }
            iterations++;
        }
        while (recursive && changed && iterations < _options.MaxFixpointIterations
            && analyses + component.Count <= _options.MaxAnalysesPerGroup && !program.Exhausted);
        if (recursive && changed && !program.Exhausted)
        {
            log.AddNote(new InputError(component[0].Module.Path,
                $"taint fixpoint for the recursive group of '{component[0].Name}' ({component.Count} functions) stopped after {iterations} iterations ({analyses} function analyses); paths through it may be missing"));
        }
    }

    /// <summary>
    /// Runs one function's analysis. A failure of the engine on one function (a bug, by definition) becomes a note for its
    /// file, and the scan goes on without what that analysis would have added: a whole report is not lost to one function.
    /// </summary>
    private static bool TryRun(FunctionAnalyzer analyzer, TaintUnit unit, ComponentLog log)
    {
        try
        {
            analyzer.Run();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.AddNote(new InputError(unit.Module.Path,
                $"internal error in the taint analysis of '{unit.Name}' (please report it): {e.GetType().Name}: {e.Message}; paths through it may be missing"));
            return false;
        }
    }
}
