namespace PickleGuard.Pickle.Policy;

/// <summary>Policy entries indexed for lookup: exact names and open-ended stems in hash maps, wildcard patterns in a list.</summary>
internal sealed class PatternSet
{
    private readonly Dictionary<string, PolicyEntry> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyEntry> _stems = new(StringComparer.Ordinal);
    private readonly List<(NamePattern Pattern, PolicyEntry Entry)> _wildcards = [];

    public void Add(NamePattern pattern, PolicyEntry entry)
    {
        if (pattern.HasWildcardComponent)
        {
            _wildcards.Add((pattern, entry));
        }
        else if (pattern.IsOpenEnded)
        {
            _stems.TryAdd(pattern.Stem, entry);
        }
        else
        {
            _exact.TryAdd(pattern.Text, entry);
        }
    }

    /// <summary>The first entry matching the dotted name (exact, then any open-ended stem, then wildcards).</summary>
    public PolicyEntry? Match(string dotted, string[] components)
    {
        if (_exact.TryGetValue(dotted, out var exact))
        {
            return exact;
        }

        if (_stems.Count > 0)
        {
            int end = dotted.Length;
            while ((end = dotted.LastIndexOf('.', end - 1)) > 0)
            {
                if (_stems.TryGetValue(dotted[..end], out var stem))
                {
                    return stem;
                }
            }
        }

        foreach (var (pattern, entry) in _wildcards)
        {
            if (pattern.Matches(components))
            {
                return entry;
            }
        }

        return null;
    }
}
