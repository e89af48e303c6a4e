using System.Runtime.InteropServices;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The units that may write each kind of whole-program fact, by their <see cref="CodeFootprint"/>s (see
/// <see cref="RelevantUnits"/>): an attribute stored on a receiver (by the method's class and the name; for a record
/// class, <see cref="RecordClasses"/>, by the units constructing it) or on another
/// object (by name: its class is only known during the analysis), a module's variables (its top level, the units
/// declaring names <c>global</c> or <c>nonlocal</c>, those changing an outer variable's object in place, and those
/// changing in place a variable of it they import, <see cref="ImportedVariables"/>), saved files.
/// </summary>
internal sealed class FactWriters
{
    // The writers of each fact as growing arrays (GrowingArrays): most facts have one writer.
    private readonly Dictionary<(ClassInfo, string), (TaintUnit[]? Units, int Count)> _onReceivers = [];
    private readonly Dictionary<string, (TaintUnit[]? Units, int Count)> _onObjects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _storedOnReceivers = new(StringComparer.Ordinal);
    private readonly Dictionary<ModuleModel, (TaintUnit[]? Units, int Count)> _ofModuleVariables = [];
    private readonly HashSet<TaintUnit> _queuers = [];

    /// <param name="classAndBases">A class and its project bases, as the analysis resolves them (record fields are inherited).</param>
    public FactWriters(ProjectIndex index, Func<ClassInfo, ClassInfo[]> classAndBases)
    {
        var project = index.Project;
        foreach (var unit in index.Units)
        {
            var footprint = unit.Footprint;
            foreach (var attribute in footprint.OtherWrites)
            {
                AddTo(_onObjects, attribute, unit);
            }
            foreach (var attribute in footprint.ReceiverWrites)
            {
                AddTo(_onReceivers, (unit.Function!.Owner!, attribute), unit);
                _storedOnReceivers.Add(attribute);
            }
            foreach (var module in ModulesWhoseVariablesItWrites(unit, project))
            {
                AddTo(_ofModuleVariables, module, unit);
            }
            if (QueuesIntoOuterVariables(unit))
            {
                _queuers.Add(unit);
            }
            if (footprint.MaySaveFile)
            {
                Savers.Add(unit);
            }
        }
        // A download writes the source's data to the file it is given (`s3.download_file(b, k, MODEL)`).
        Savers.AddRange(index.DownloadingUnits().Where(unit => !unit.Footprint.MaySaveFile).Distinct());
        // A record class's generated `__init__` stores its fields: the unit constructing it is the writer.
        foreach (var (caller, fields) in index.RecordConstructions(classAndBases))
        {
            foreach (var (owner, field) in fields)
            {
                AddTo(_onReceivers, (owner, field), caller);
                _storedOnReceivers.Add(field);
            }
        }
    }

    /// <summary>Units that may save a file at a constant path: by syntax (<see cref="CodeFootprint.MaySaveFile"/>) or by a download.</summary>
    public List<TaintUnit> Savers { get; } = [];

    /// <summary>Whether some method stores <paramref name="attribute"/> on its receiver.</summary>
    public bool StoredOnReceivers(string attribute) => _storedOnReceivers.Contains(attribute);

    /// <summary>Methods of <paramref name="cls"/> storing <paramref name="attribute"/> on their receiver.</summary>
    public ReadOnlySpan<TaintUnit> OnReceivers(ClassInfo cls, string attribute) => Of(_onReceivers, (cls, attribute));

    /// <summary>Units storing <paramref name="attribute"/> on an object other than their receiver.</summary>
    public ReadOnlySpan<TaintUnit> OnObjects(string attribute) => Of(_onObjects, attribute);

    /// <summary>
    /// The top level of <paramref name="module"/>, its units that declare names global or nonlocal, those that change
    /// an outer variable's object in place, and the units of any module changing in place a variable of it they import.
    /// </summary>
    public ReadOnlySpan<TaintUnit> OfModuleVariables(ModuleModel module) => Of(_ofModuleVariables, module);

    /// <summary>
    /// Whether a writer of module variables may queue its parameters into them (<c>def enqueue(data): JOBS.put(data)</c>):
    /// only then is its summary a way for its callers to write the facts. A global assignment or a stored item
    /// (<c>_cache[key] = value</c>) writes source data only (Taint/FunctionAnalyzer.Variables.cs); a unit that passes
    /// its parameter to such a queuer is a caller of it.
    /// </summary>
    public bool MayQueueParameters(TaintUnit writer) => _queuers.Contains(writer);

    private static bool QueuesIntoOuterVariables(TaintUnit unit)
    {
        foreach (var name in unit.Footprint.QueuedNames)
        {
            if (unit.Scope.ScopeBinding(name) != unit.Scope)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The modules whose variables the unit may write: its own for the top level, a unit declaring names
    /// <c>global</c>/<c>nonlocal</c> or changing in place an object held by a variable of an enclosing scope or the
    /// module (<c>JOBS.put(v)</c>, <c>CACHE[k] = v</c>); and the scanned module whose variable (or module object) such
    /// a name denotes through an import (<c>jobs.JOBS.put(v)</c>).
    /// </summary>
    private static IReadOnlyCollection<ModuleModel> ModulesWhoseVariablesItWrites(TaintUnit unit, ProjectModel project)
    {
        // Made only for the units that write some (most write none).
        HashSet<ModuleModel>? modules = unit.Function is null || unit.Scope.DeclaresOuterNames ? [unit.Module] : null;
        foreach (var name in unit.Footprint.MutatedNames)
        {
            if (unit.Scope.ScopeBinding(name) is var scope && scope == unit.Scope)
            {
                continue;
            }
            (modules ??= []).Add(unit.Module);
            if (scope is not null && ImportedVariables.Target(scope, name, project) is { Module: { } module })
            {
                modules.Add(module);
            }
        }
        return (IReadOnlyCollection<ModuleModel>?)modules ?? [];
    }

    private static ReadOnlySpan<TaintUnit> Of<TKey>(Dictionary<TKey, (TaintUnit[]? Units, int Count)> lists, TKey key)
        where TKey : notnull =>
        lists.TryGetValue(key, out var list) ? list.Units.AsSpan(0, list.Count) : default;

    private static void AddTo<TKey>(Dictionary<TKey, (TaintUnit[]? Units, int Count)> lists, TKey key, TaintUnit unit)
        where TKey : notnull
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(lists, key, out _);
        GrowingArrays.Append(ref list.Units, ref list.Count, unit);
    }
}
