using System.Runtime.InteropServices;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The units whose analysis can change a finding; the fixpoint analyses only these. In a large project most functions
/// have nothing to do with deserialization, and analysing them was most of the taint engine's time. The set is exact,
/// not a heuristic: a unit left out cannot change what a unit inside reads.
/// <list type="bullet">
/// <item>A hit is recorded where source data meets a sink call, or a callee whose summary passes a parameter to one:
/// only in units that call a sink (directly or as a reference, <c>map(pickle.loads, ...)</c>) and their callers,
/// transitively.</item>
/// <item>An analysis reads the summaries of the units it calls: the set is closed under callees.</item>
/// <item>It reads the whole-program facts of the <see cref="TaintStore"/>: attributes on its receiver (of the receiver's
/// class and its bases), variables of its enclosing scopes and files saved at a constant path. An attribute of class
/// <c>K</c> is written by a method of <c>K</c> storing it on its receiver, by a unit storing an attribute of that name
/// on another object (whose class is only known during the analysis), and by the callers of either, transitively,
/// through their summaries; a method of <c>K</c> also reads what is stored into objects of <c>K</c>'s subclasses, whose
/// writers are found the same way; a variable by the unit of its scope, the module's top level, a unit declaring it
/// <c>global</c> or <c>nonlocal</c> or changing its object in place (also from another module, through an import:
/// the variables a module reads are its own and those of the scanned modules it imports), and by the callers,
/// transitively, of those that queue a parameter into it (<c>def enqueue(data): JOBS.put(data)</c>: the only way a
/// parameter reaches a variable through a summary); a file by a unit that saves one (<see cref="CodeFootprint"/> has
/// the syntax), and by the callers, transitively, of one extracting an archive into a directory its parameter names.</item>
/// </list>
/// Units outside the set keep empty summaries and are never marked dirty.
/// </summary>
internal static class RelevantUnits
{
    /// <param name="writers">The units writing each fact, for the index's units.</param>
    /// <param name="classAndBases">A class and its project bases, as the analysis reads receiver attributes.</param>
    public static bool[] Find(ProjectIndex index, FactWriters writers, Func<ClassInfo, ClassInfo[]> classAndBases)
    {
        var finder = new Finder(index, writers, classAndBases);
        finder.Run();
        return finder.Relevant;
    }

    private sealed class Finder(ProjectIndex index, FactWriters writers, Func<ClassInfo, ClassInfo[]> classAndBases)
    {
        private readonly bool[] _callersWalked = new bool[index.Units.Count];
        private readonly Stack<TaintUnit> _pending = new();
        private readonly Stack<TaintUnit> _work = new();
        // By the numbers FactWriters gives: whether an attribute's, or a receiver fact's, writers were added.
        private readonly bool[] _attributesRead = new bool[writers.AttributeCount];
        private readonly bool[] _receiverFactsRead = new bool[writers.ReceiverFactCount];
        private readonly HashSet<ModuleModel> _modulesSeen = [];
        // The (receiver class, attribute) pairs whose chain and subclasses were walked: every method of a class reading
        // the same name on self walks the same classes (a base with many subclasses: dozens of lookups per name).
        private readonly HashSet<(ClassInfo, int)> _classReadsWalked = new(ClassAttributeComparer.Instance);

        public bool[] Relevant { get; } = new bool[index.Units.Count];

        public void Run()
        {
            foreach (var unit in index.UnitsCallingSinks())
            {
                AddWithCallers(unit);
            }
            if (_work.Count > 0)
            {
                writers.Savers.ForEach(Add);
                AddAllWithCallers(CollectionsMarshal.AsSpan(writers.ParameterExtractors));
            }
            while (_work.TryPop(out var unit))
            {
                foreach (var callee in unit.Callees)
                {
                    Add(callee);
                }
                for (var scope = unit.Scope.Parent; scope is not null && index.UnitOfScope(scope) is { } outer; scope = outer.Scope.Parent)
                {
                    Add(outer);
                }
                if (_modulesSeen.Add(unit.Module))
                {
                    AddModuleVariableWriters(unit.Module);
                }
                if (unit.Footprint.ReceiverReads.Count > 0)
                {
                    AddWritersOfReceiverReads(unit);
                }
            }
        }

        /// <summary>
        /// The writers of the variables code of <paramref name="module"/> reads: its own and those of the scanned modules it
        /// imports. The callers of a writer that may queue its parameters into them too
        /// (<see cref="FactWriters.MayQueueParameters"/>): a caller passing source data to such a parameter writes the fact.
        /// </summary>
        private void AddModuleVariableWriters(ModuleModel module)
        {
            AddVariableWriters(module);
            foreach (var imported in index.ImportedModulesOf(module))
            {
                AddVariableWriters(imported);
            }
        }

        private void AddVariableWriters(ModuleModel module)
        {
            foreach (var writer in writers.OfModuleVariables(module))
            {
                if (writers.MayQueueParameters(writer))
                {
                    AddWithCallers(writer);
                }
                else
                {
                    Add(writer);
                }
            }
        }

        /// <summary>A plain loop: <c>ForEach(AddWithCallers)</c> made a delegate per call.</summary>
        private void AddAllWithCallers(ReadOnlySpan<TaintUnit> units)
        {
            foreach (var unit in units)
            {
                AddWithCallers(unit);
            }
        }

        private void AddWritersOfReceiverReads(TaintUnit reader)
        {
            ClassInfo[]? classes = null; // resolved only when some method stores an attribute of a read name
            foreach (var name in reader.Footprint.ReceiverReads)
            {
                if (writers.AttributeOf(name) is not (>= 0 and var attribute))
                {
                    continue; // no unit stores it: nothing writes the fact
                }
                if (!_attributesRead[attribute])
                {
                    _attributesRead[attribute] = true;
                    AddAllWithCallers(writers.OnObjects(attribute));
                }
                if (!writers.StoredOnReceivers(attribute))
                {
                    continue;
                }
                var owner = reader.Function!.Owner!;
                if (!_classReadsWalked.Add((owner, attribute)))
                {
                    continue; // another method of the class read it: the same classes were walked
                }
                foreach (var cls in classes ??= classAndBases(owner))
                {
                    AddReceiverFactWriters(cls, attribute);
                }
                // A base's method also reads what is stored into objects of its subclasses (TaintProgram.DescendantsKey):
                // their receiver facts' writers are those stores' callees, and the units making the objects their callers.
                var descendants = index.DescendantsOf(owner);
                for (var i = 0; i < descendants.Count; i++) // not foreach: the list's enumerator is an object per read name
                {
                    AddReceiverFactWriters(descendants[i], attribute);
                }
            }
        }

        private void AddReceiverFactWriters(ClassInfo cls, int attribute)
        {
            if (writers.ReceiverFactOf(cls, attribute) is >= 0 and var fact && !_receiverFactsRead[fact])
            {
                _receiverFactsRead[fact] = true;
                AddAllWithCallers(writers.OnReceivers(fact));
            }
        }

        /// <summary>Adds <paramref name="unit"/> and its copies for receiver classes, which stand in for it at some calls.</summary>
        private void Add(TaintUnit unit)
        {
            if (!Relevant[unit.Id])
            {
                Relevant[unit.Id] = true;
                _work.Push(unit);
                foreach (var copy in index.ReceiverCopiesOf(unit))
                {
                    Add(copy);
                }
            }
        }

        /// <summary>Adds <paramref name="start"/> and its callers, transitively (each unit's callers are walked once).</summary>
        private void AddWithCallers(TaintUnit start)
        {
            _pending.Push(start);
            while (_pending.TryPop(out var unit))
            {
                if (_callersWalked[unit.Id])
                {
                    continue;
                }
                _callersWalked[unit.Id] = true;
                Add(unit);
                foreach (var caller in unit.Callers)
                {
                    _pending.Push(caller);
                }
                foreach (var copy in index.ReceiverCopiesOf(unit))
                {
                    _pending.Push(copy);
                }
            }
        }
    }
}
