namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The files a function decodes at a path it builds from its parameters (<c>def _load_local(name): return
/// joblib.load(f"{name}.pkl")</c>): each path as a template of the arguments (FunctionAnalyzer.PathReads.cs), with the
/// sinks given it. A caller that saved data at the path the template makes of its arguments has that data decoded there.
/// </summary>
internal sealed partial class FunctionSummary
{
    private Dictionary<string, HashSet<SinkKey>>? _pathReads;

    private int PathReadCount
    {
        get
        {
            if (_pathReads is null)
            {
                return 0;
            }
            var count = 0;
            foreach (var sinks in _pathReads.Values)
            {
                count += sinks.Count;
            }
            return count;
        }
    }

    /// <summary>The sinks decoding the file at each path template, or null.</summary>
    public IReadOnlyDictionary<string, HashSet<SinkKey>>? PathReads => _pathReads;

    public void AddPathRead(string template, SinkKey sink)
    {
        _pathReads ??= new(StringComparer.Ordinal);
        if (!_pathReads.TryGetValue(template, out var sinks))
        {
            _pathReads[template] = sinks = [];
        }
        sinks.Add(sink);
    }
}
