using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Request handlers of a library server (http.server's <c>BaseHTTPRequestHandler</c>, socketserver's handlers): in
/// their methods <c>self.path</c> or <c>self.rfile</c> is a source by the models of the library base, and the handler
/// object handed on from one of them (<c>run(self)</c>, DSVPWA's attacks) carries those attributes' data, as a view's
/// <c>request</c> does.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>The handler source each class met so far is (null: none), shared by the workers.</summary>
    private readonly ConcurrentDictionary<ClassInfo, HandlerSource?> _handlerSources = new();

    /// <summary>
    /// The source kind and data attributes of an instance of <paramref name="cls"/>: the attributes that enabled source
    /// models name on a library base of the class or of its project bases (<c>http.server.BaseHTTPRequestHandler().path</c>);
    /// null when there are none.
    /// </summary>
    public HandlerSource? HandlerSourceOf(ClassInfo cls, ValueResolver resolver) =>
        _handlerSources.GetOrAdd(cls, static (c, state) => state.Index.FindHandlerSource(c, state.Resolver), (Index: this, Resolver: resolver));

    private HandlerSource? FindHandlerSource(ClassInfo cls, ValueResolver resolver)
    {
        (string Kind, string Base)? found = null;
        var attributes = new List<string>();
        var instanceAttributes = InstanceAttributeSources;
        foreach (var current in resolver.ClassAndBases(cls))
        {
            foreach (var baseValue in resolver.Bases(current))
            {
                if (baseValue is not ApiValue api || !instanceAttributes.TryGetValue(api.Path, out var named))
                {
                    continue;
                }
                foreach (var (sourceKind, attribute) in named)
                {
                    if (!attributes.Contains(attribute))
                    {
                        attributes.Add(attribute);
                        found ??= (sourceKind, api.Path);
                    }
                }
            }
        }
        return found is var (kind, library) ? new HandlerSource(kind, library, attributes) : null;
    }

    /// <summary>
    /// By library class path: the enabled source models' plain attributes of its instances (<c>P().attr</c>: no further
    /// <c>.</c> or call), with their kinds, in model order. Made once: looking through every model's names for each
    /// library base of each class was an enumerator per model and a prefix string per base.
    /// </summary>
    private Dictionary<string, List<(string Kind, string Attribute)>> InstanceAttributeSources =>
        LazyInitializer.EnsureInitialized(ref _instanceAttributeSources, () =>
        {
            var table = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
            foreach (var model in _models.Taint.Sources)
            {
                if (!_options.SourceKinds.Contains(model.Kind))
                {
                    continue;
                }
                foreach (var name in model.Names)
                {
                    // `P().attr` with no `.` or `(` in attr: P is all before the last `().`.
                    var end = name.LastIndexOf("().", StringComparison.Ordinal);
                    if (end >= 0 && name.AsSpan(end + 3).IndexOfAny('.', '(') < 0)
                    {
                        (CollectionsMarshal.GetValueRefOrAddDefault(table, name[..end], out _) ??= []).Add((model.Kind, name[(end + 3)..]));
                    }
                }
            }
            return table;
        });

    private Dictionary<string, List<(string Kind, string Attribute)>>? _instanceAttributeSources;
}

/// <summary>What an instance of a request handler class carries (<see cref="ProjectIndex.HandlerSourceOf"/>).</summary>
/// <param name="Base">The library base whose source models name the attributes (<c>http.server.BaseHTTPRequestHandler</c>).</param>
internal sealed record HandlerSource(string Kind, string Base, IReadOnlyList<string> Attributes);
