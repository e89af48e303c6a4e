using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Inter-procedural, cross-module taint analysis: resolves every call once (in parallel), then computes function
/// summaries bottom-up over the strongly connected components of the call graph (callees first, a bounded
/// fixpoint inside recursive groups), and repeats for the functions whose instance attributes or outer variables
/// changed. The result is, per sink call, the most severe source that reaches it with the path.
/// </summary>
internal sealed class TaintEngine
{
    private readonly ModelSet _models;
    private readonly TaintOptions _options;

    public TaintEngine(ModelSet models, TaintOptions options)
    {
        _models = models;
        _options = options;
    }

    public TaintResult Run(ProjectModel project, ISet<string> modelNamespaces, CancellationToken ct, ResolvedCalls? resolved = null)
    {
        var clock = ScanTimings.Start();
        var index = ProjectIndex.Build(project, _models, _options, modelNamespaces, ct, resolved);
        ScanTimings.Lap(clock, "taint index");
        var program = new TaintProgram(index, _models, _options, new ValueResolver(project, modelNamespaces));
        var components = StronglyConnected(index.Units);
        var notes = new List<InputError>();
        var dirty = new HashSet<TaintUnit>(index.Units);
        for (var round = 0; round < _options.MaxRounds && dirty.Count > 0 && !program.Exhausted; round++)
        {
            program.ChangedKeys.Clear();
            foreach (var component in components)
            {
                ct.ThrowIfCancellationRequested();
                if (program.Exhausted)
                {
                    break;
                }
                if (component.Any(dirty.Contains))
                {
                    AnalyseComponent(program, component, dirty, notes);
                }
            }
            dirty.Clear();
            if (program.ChangedKeys.Count > 0)
            {
                var changed = program.ChangedKeys;
                foreach (var unit in index.Units)
                {
                    // Probe the larger set with the smaller one: either may be large.
                    var reads = unit.ReadKeys;
                    if (reads.Count > 0 && (reads.Count <= changed.Count ? reads.Any(changed.Contains) : changed.Any(reads.Contains)))
                    {
                        dirty.Add(unit);
                    }
                }
            }
            if (round == _options.MaxRounds - 1 && dirty.Count > 0 && !program.Exhausted)
            {
                notes.Add(new InputError(dirty.First().Module.Path,
                    $"taint analysis stopped after {_options.MaxRounds} rounds with {dirty.Count} function(s) still affected by attribute or global changes; paths through them may be missing"));
            }
        }
        if (program.Exhausted)
        {
            notes.Add(new InputError(project.Modules.Count > 0 ? project.Modules[0].Path : "",
                $"taint analysis stopped after its budget of {_options.MaxTotalSteps} steps; precision was cut: findings without a proven path keep their sink-level severity"));
        }
        foreach (var unit in index.Units.Where(u => u.Truncated))
        {
            notes.Add(new InputError(unit.Module.Path, $"taint analysis of '{unit.Name}' was cut short at {_options.MaxStepsPerFunction} steps; paths through it may be missing"));
        }
        ScanTimings.Lap(clock, "taint fixpoint");
        return new TaintResult(program.Hits.Values.ToArray(), notes);
    }

    private void AnalyseComponent(TaintProgram program, List<TaintUnit> component, HashSet<TaintUnit> dirty, List<InputError> notes)
    {
        var recursive = component.Count > 1 || component[0].Callees.Contains(component[0]);
        var iterations = 0;
        var analyses = 0;
        bool changed;
        do
        {
            changed = false;
            foreach (var unit in component)
            {
                var before = unit.Summary.Size;
                new FunctionAnalyzer(program, unit).Run();
                analyses++;
                if (unit.Summary.Size != before)
                {
                    changed = true;
                    foreach (var caller in unit.Callers)
                    {
                        dirty.Add(caller);
                    }
                }
            }
            iterations++;
        }
        while (recursive && changed && iterations < _options.MaxFixpointIterations
            && analyses + component.Count <= _options.MaxAnalysesPerGroup && !program.Exhausted);
        if (recursive && changed && !program.Exhausted)
        {
            notes.Add(new InputError(component[0].Module.Path,
                $"taint fixpoint for the recursive group of '{component[0].Name}' ({component.Count} functions) stopped after {iterations} iterations ({analyses} function analyses); paths through it may be missing"));
        }
    }

    /// <summary>Tarjan's algorithm, iterative (call chains can be deep); components come out callees first.</summary>
    private static List<List<TaintUnit>> StronglyConnected(IReadOnlyList<TaintUnit> units)
    {
        var indexOf = new Dictionary<TaintUnit, int>();
        var lowLink = new Dictionary<TaintUnit, int>();
        var onStack = new HashSet<TaintUnit>();
        var stack = new Stack<TaintUnit>();
        var result = new List<List<TaintUnit>>();
        var next = 0;
        foreach (var root in units)
        {
            if (indexOf.ContainsKey(root))
            {
                continue;
            }
            var work = new Stack<(TaintUnit Unit, IEnumerator<TaintUnit> Callees)>();
            Visit(root);
            while (work.Count > 0)
            {
                var (unit, callees) = work.Peek();
                if (callees.MoveNext())
                {
                    var callee = callees.Current;
                    if (!indexOf.ContainsKey(callee))
                    {
                        Visit(callee);
                    }
                    else if (onStack.Contains(callee))
                    {
                        lowLink[unit] = Math.Min(lowLink[unit], indexOf[callee]);
                    }
                    continue;
                }
                work.Pop();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Unit;
                    lowLink[parent] = Math.Min(lowLink[parent], lowLink[unit]);
                }
                if (lowLink[unit] == indexOf[unit])
                {
                    var component = new List<TaintUnit>();
                    TaintUnit member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != unit);
                    result.Add(component);
                }
            }

            void Visit(TaintUnit unit)
            {
                indexOf[unit] = lowLink[unit] = next++;
                stack.Push(unit);
                onStack.Add(unit);
                work.Push((unit, unit.Callees.GetEnumerator()));
            }
        }
        return result;
    }
}
