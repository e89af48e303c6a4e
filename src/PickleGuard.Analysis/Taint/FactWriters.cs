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
    // The writers of each fact as growing arrays (GrowingArrays): most facts have one writer. Attributes and receiver
    // facts are numbered (AttributeOf, ReceiverFactOf): RelevantUnits asks about every attribute a method reads on self
    // and every class of its chain, and with numbers that is one lookup each, its "seen" marks arrays indexed by them
    // (a set of names and a set of (class, name) pairs beside these tables hashed each name two to four times).
    private readonly Dictionary<string, int> _attributes = new(StringComparer.Ordinal);
    private readonly List<(TaintUnit[]? OnObjects, int Count, bool StoredOnReceivers)> _attributeWriters = [];
    private readonly Dictionary<(ClassInfo, int), int> _receiverFacts = new(ClassAttributeComparer.Instance);
    private readonly List<(TaintUnit[]? Units, int Count)> _receiverFactWriters = [];
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
                var number = Number(attribute); // first: it may grow the list
                ref var writers = ref CollectionsMarshal.AsSpan(_attributeWriters)[number];
                GrowingArrays.Append(ref writers.OnObjects, ref writers.Count, unit);
            }
            foreach (var attribute in footprint.ReceiverWrites)
            {
                AddReceiverWriter(unit.Function!.Owner!, attribute, unit);
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
                if (footprint.ExtractionDirectories.Any(directory => unit.IndexOfParameter(directory) >= 0))
                {
                    ParameterExtractors.Add(unit);
                }
            }
        }
        // A download writes the source's data to the file it is given (`s3.download_file(b, k, MODEL)`).
        Savers.AddRange(index.DownloadingUnits().Where(unit => !unit.Footprint.MaySaveFile).Distinct());
        // A download into a directory (`hf_hub_download(..., local_dir=d)`) is an extraction there: when `d` is a
        // parameter, the callers name the directory.
        var directoryDownloaders = index.DownloadingIntoDirectoryUnits().Distinct().ToArray();
        Savers.AddRange(directoryDownloaders.Where(unit => !unit.Footprint.MaySaveFile && !Savers.Contains(unit)));
        ParameterExtractors.AddRange(directoryDownloaders.Where(unit => !ParameterExtractors.Contains(unit)));
        // A command a parameter holds, run (`def run_command(cmd): subprocess.run(cmd, shell=True)`): a caller's curl or
        // wget command downloads into the file it names. (These units download, so they are savers already.)
        ParameterExtractors.AddRange(index.RunningParameterCommandUnits().Distinct().Where(unit => !ParameterExtractors.Contains(unit)));
        // A record class's generated `__init__` stores its fields: the unit constructing it is the writer.
        foreach (var (caller, fields) in index.RecordConstructions(classAndBases))
        {
            foreach (var (owner, field) in fields)
            {
                AddReceiverWriter(owner, field, caller);
            }
        }
    }

    /// <summary>Units that may save a file at a constant path: by syntax (<see cref="CodeFootprint.MaySaveFile"/>) or by a download.</summary>
    public List<TaintUnit> Savers { get; } = [];

    /// <summary>
    /// The savers extracting an archive into a directory a parameter of theirs names (<see cref="CodeFootprint.ExtractionDirectories"/>),
    /// or downloading into one, or running a command a parameter holds: their callers, transitively, write the fact of
    /// the directory or file they pass through the summary.
    /// </summary>
    public List<TaintUnit> ParameterExtractors { get; } = [];

    /// <summary>How many attributes some unit stores (the numbers <see cref="AttributeOf"/> gives are below it).</summary>
    public int AttributeCount => _attributeWriters.Count;

    /// <summary>How many (class, attribute) facts some method stores on its receiver (see <see cref="ReceiverFactOf"/>).</summary>
    public int ReceiverFactCount => _receiverFactWriters.Count;

    /// <summary>The number of <paramref name="attribute"/>, or -1 when no unit stores it on any object.</summary>
    public int AttributeOf(string attribute) => _attributes.GetValueOrDefault(attribute, -1);

    /// <summary>Whether some method stores the attribute numbered <paramref name="attribute"/> on its receiver.</summary>
    public bool StoredOnReceivers(int attribute) => _attributeWriters[attribute].StoredOnReceivers;

    /// <summary>Units storing the attribute numbered <paramref name="attribute"/> on an object other than their receiver.</summary>
    public ReadOnlySpan<TaintUnit> OnObjects(int attribute) => _attributeWriters[attribute].OnObjects.AsSpan(0, _attributeWriters[attribute].Count);

    /// <summary>
    /// The number of the fact "attribute <paramref name="attribute"/> (a number of <see cref="AttributeOf"/>) of
    /// <paramref name="cls"/>'s receiver", or -1 when no method of the class stores it on its receiver.
    /// </summary>
    public int ReceiverFactOf(ClassInfo cls, int attribute) => _receiverFacts.GetValueOrDefault((cls, attribute), -1);

    /// <summary>The methods storing the receiver fact numbered <paramref name="fact"/>.</summary>
    public ReadOnlySpan<TaintUnit> OnReceivers(int fact) => _receiverFactWriters[fact].Units.AsSpan(0, _receiverFactWriters[fact].Count);

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

    /// <summary>The number of <paramref name="attribute"/>, given on its first store.</summary>
    private int Number(string attribute)
    {
        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(_attributes, attribute, out var exists);
        if (!exists)
        {
            number = _attributeWriters.Count;
            _attributeWriters.Add(default);
        }
        return number;
    }

    private void AddReceiverWriter(ClassInfo owner, string attribute, TaintUnit unit)
    {
        var number = Number(attribute);
        CollectionsMarshal.AsSpan(_attributeWriters)[number].StoredOnReceivers = true;
        ref var fact = ref CollectionsMarshal.GetValueRefOrAddDefault(_receiverFacts, (owner, number), out var exists);
        if (!exists)
        {
            fact = _receiverFactWriters.Count;
            _receiverFactWriters.Add(default);
        }
        ref var writers = ref CollectionsMarshal.AsSpan(_receiverFactWriters)[fact];
        GrowingArrays.Append(ref writers.Units, ref writers.Count, unit);
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
