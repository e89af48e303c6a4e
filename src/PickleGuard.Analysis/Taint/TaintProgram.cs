using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Whole-program state shared by the function analyses: instance attributes and outer variables holding source
/// data, the best tainted origin per sink, and lazily resolved source expressions. Used from one thread.
/// </summary>
internal sealed class TaintProgram
{
    private readonly Dictionary<object, TaintValue> _globals = [];
    private readonly Dictionary<Expr, (SourceModel Model, string Name)?> _sourceCache = [];
    private readonly Dictionary<ClassInfo, ClassInfo[]> _classAndBases = [];

    public TaintProgram(ProjectIndex index, ModelSet models, TaintOptions options, ValueResolver resolver)
    {
        Index = index;
        Models = models;
        Options = options;
        Resolver = resolver;
    }

    public ProjectIndex Index { get; }

    public ModelSet Models { get; }

    public TaintOptions Options { get; }

    public ValueResolver Resolver { get; }

    public Dictionary<CallExpr, SinkHit> Hits { get; } = [];

    /// <summary>Steps spent by every function analysis so far (see <see cref="TaintOptions.MaxTotalSteps"/>).</summary>
    public long TotalSteps { get; set; }

    public bool Exhausted => TotalSteps > Options.MaxTotalSteps;

    /// <summary>Keys of <see cref="ReadGlobal"/> whose taint grew since the set was last cleared.</summary>
    public HashSet<object> ChangedKeys { get; } = [];

    /// <summary>An instance attribute (<c>(ClassInfo, name)</c>) or outer variable (<c>(Scope, name)</c>).</summary>
    public TaintValue ReadGlobal(object key, TaintUnit reader)
    {
        reader.ReadKeys.Add(key);
        return _globals.GetValueOrDefault(key);
    }

    public void WriteGlobal(object key, TaintValue value)
    {
        var sources = value.Select(o => o.IsSource ? o : null);
        if (sources.IsClean)
        {
            return;
        }
        var old = _globals.GetValueOrDefault(key);
        var joined = old.Join(sources);
        if (joined.Origins.Length != old.Origins.Length)
        {
            _globals[key] = joined;
            ChangedKeys.Add(key);
        }
    }

    public void RecordHit(SinkKey sink, TaintOrigin origin)
    {
        var hit = new SinkHit(sink, origin);
        if (!Hits.TryGetValue(sink.Call, out var best) || hit.IsBetterThan(best))
        {
            Hits[sink.Call] = hit;
        }
    }

    /// <summary>The enabled source a name or attribute expression denotes (cheap name filter first), else null.</summary>
    public (SourceModel Model, string Name)? SourceOf(Expr expr, Scope scope)
    {
        var name = expr switch
        {
            NameExpr n => n.Id,
            AttributeExpr a => a.Attr,
            _ => null,
        };
        if (name is null || !Models.Taint.MayBeSource(name))
        {
            return null;
        }
        if (_sourceCache.TryGetValue(expr, out var cached))
        {
            return cached;
        }
        (SourceModel, string)? result = null;
        foreach (var value in Resolver.Resolve(expr, new EvalContext(scope, expr.Span.Start, scope.Body)))
        {
            if (value is ApiValue api && Models.Taint.SourceFor(api.Path) is { } source && Options.SourceKinds.Contains(source.Model.Kind))
            {
                result = source;
                break;
            }
        }
        _sourceCache[expr] = result;
        return result;
    }

    /// <summary>
    /// A class and its project base classes, depth first, at most 32 (cached: instance attribute reads ask for it
    /// on every read, and the resolver's base classes never change once computed).
    /// </summary>
    public ClassInfo[] ClassAndBases(ClassInfo cls)
    {
        if (_classAndBases.TryGetValue(cls, out var cached))
        {
            return cached;
        }
        var seen = new HashSet<ClassInfo>();
        var result = new List<ClassInfo>();
        var pending = new Stack<ClassInfo>();
        pending.Push(cls);
        while (pending.Count > 0 && seen.Count < 32)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }
            result.Add(current);
            foreach (var baseValue in Resolver.Bases(current))
            {
                if (baseValue is ClassValue project)
                {
                    pending.Push(project.Class);
                }
            }
        }
        return _classAndBases[cls] = [.. result];
    }
}
