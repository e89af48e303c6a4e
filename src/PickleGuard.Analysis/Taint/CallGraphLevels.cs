namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The call graph's strongly connected components (a function, or a group of mutually recursive ones) in
/// callee-first order, grouped into levels: a component's level is one more than the highest level among the
/// components it calls, so the components of one level never call each other and can be analysed side by side
/// once the levels below are done. Units are numbered by <see cref="TaintUnit.Id"/>, so the bookkeeping is arrays.
/// </summary>
internal sealed class CallGraphLevels
{
    private readonly int[] _componentOf;
    private readonly bool[] _recursive;

    private CallGraphLevels(List<TaintUnit[]> components, int[] componentOf, List<List<int>> levels)
    {
        Components = components;
        _componentOf = componentOf;
        Levels = levels;
        _recursive = new bool[components.Count];
        for (var c = 0; c < components.Count; c++)
        {
            _recursive[c] = components[c].Length > 1 || Array.IndexOf(components[c][0].Callees, components[c][0]) >= 0;
        }
    }

    /// <summary>Components in callee-first order.</summary>
    public IReadOnlyList<IReadOnlyList<TaintUnit>> Components { get; }

    /// <summary>Component positions per level, lowest level first, each level in callee-first order.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Levels { get; }

    /// <summary>Whether the component at <paramref name="position"/> calls itself (a group, or one function that calls itself).</summary>
    public bool IsRecursive(int position) => _recursive[position];

    /// <summary>The position of the component <paramref name="unit"/> belongs to.</summary>
    public int ComponentOf(TaintUnit unit) => _componentOf[unit.Id];

    /// <param name="units">Every unit, each at the position its <see cref="TaintUnit.Id"/> names.</param>
    public static CallGraphLevels Build(IReadOnlyList<TaintUnit> units)
    {
        var components = StronglyConnected(units);
        var componentOf = new int[units.Count];
        for (var c = 0; c < components.Count; c++)
        {
            foreach (var unit in components[c])
            {
                componentOf[unit.Id] = c;
            }
        }
        var levels = new List<List<int>>();
        var levelOf = new int[components.Count];
        for (var c = 0; c < components.Count; c++)
        {
            var level = 0;
            foreach (var unit in components[c])
            {
                foreach (var callee in unit.Callees)
                {
                    var other = componentOf[callee.Id];
                    if (other != c)
                    {
                        level = Math.Max(level, levelOf[other] + 1); // callees come first: already placed
                    }
                }
            }
            levelOf[c] = level;
            while (levels.Count <= level)
            {
                levels.Add([]);
            }
            levels[level].Add(c);
        }
        return new CallGraphLevels(components, componentOf, levels);
    }

    /// <summary>Tarjan's algorithm, iterative (call chains can be deep); components come out callees first.</summary>
    private static List<TaintUnit[]> StronglyConnected(IReadOnlyList<TaintUnit> units)
    {
        const int Unvisited = -1;
        var indexOf = new int[units.Count];
        Array.Fill(indexOf, Unvisited);
        var lowLink = new int[units.Count];
        var onStack = new bool[units.Count];
        var stack = new Stack<TaintUnit>();
        var pushedAt = new int[units.Count]; // the stack's height when the unit was pushed
        var result = new List<TaintUnit[]>();
        // The depth-first path, each entry with the position of its next callee.
        var work = new (TaintUnit Unit, int Next)[16];
        var depth = 0;
        var next = 0;
        foreach (var root in units)
        {
            if (indexOf[root.Id] != Unvisited)
            {
                continue;
            }
            Visit(root);
            while (depth > 0)
            {
                ref var top = ref work[depth - 1];
                var unit = top.Unit;
                if (top.Next < unit.Callees.Length)
                {
                    var callee = unit.Callees[top.Next++];
                    if (indexOf[callee.Id] == Unvisited)
                    {
                        Visit(callee);
                    }
                    else if (onStack[callee.Id])
                    {
                        lowLink[unit.Id] = Math.Min(lowLink[unit.Id], indexOf[callee.Id]);
                    }
                    continue;
                }
                depth--;
                if (depth > 0)
                {
                    var parent = work[depth - 1].Unit;
                    lowLink[parent.Id] = Math.Min(lowLink[parent.Id], lowLink[unit.Id]);
                }
                if (lowLink[unit.Id] == indexOf[unit.Id])
                {
                    // The unit and the members pushed after it, top first (an array of its size: most components are one unit).
                    var component = new TaintUnit[stack.Count - pushedAt[unit.Id]];
                    for (var i = 0; i < component.Length; i++)
                    {
                        var member = stack.Pop();
                        onStack[member.Id] = false;
                        component[i] = member;
                    }
                    result.Add(component);
                }
            }
        }
        return result;

        void Visit(TaintUnit unit)
        {
            indexOf[unit.Id] = lowLink[unit.Id] = next++;
            pushedAt[unit.Id] = stack.Count;
            stack.Push(unit);
            onStack[unit.Id] = true;
            if (depth == work.Length)
            {
                Array.Resize(ref work, depth * 2);
            }
            work[depth++] = (unit, 0);
        }
    }
}
