namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The call graph's strongly connected components (a function, or a group of mutually recursive ones) in
/// callee-first order, grouped into levels: a component's level is one more than the highest level among the
/// components it calls, so the components of one level never call each other and can be analysed side by side
/// once the levels below are done.
/// </summary>
internal sealed class CallGraphLevels
{
    private readonly Dictionary<TaintUnit, int> _componentOf;

    private CallGraphLevels(List<List<TaintUnit>> components, Dictionary<TaintUnit, int> componentOf, List<List<int>> levels)
    {
        Components = components;
        _componentOf = componentOf;
        Levels = levels;
    }

    /// <summary>Components in callee-first order.</summary>
    public IReadOnlyList<IReadOnlyList<TaintUnit>> Components { get; }

    /// <summary>Component positions per level, lowest level first, each level in callee-first order.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Levels { get; }

    /// <summary>The position of the component <paramref name="unit"/> belongs to.</summary>
    public int ComponentOf(TaintUnit unit) => _componentOf[unit];

    public static CallGraphLevels Build(IReadOnlyList<TaintUnit> units)
    {
        var components = StronglyConnected(units);
        var componentOf = new Dictionary<TaintUnit, int>(units.Count);
        for (var c = 0; c < components.Count; c++)
        {
            foreach (var unit in components[c])
            {
                componentOf[unit] = c;
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
                    var other = componentOf[callee];
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
