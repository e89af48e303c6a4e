using System.Collections.Concurrent;
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
        foreach (var current in resolver.ClassAndBases(cls))
        {
            foreach (var baseValue in resolver.Bases(current))
            {
                if (baseValue is not ApiValue api)
                {
                    continue;
                }
                var prefix = api.Path + "().";
                foreach (var model in _models.Taint.Sources)
                {
                    if (!_options.SourceKinds.Contains(model.Kind))
                    {
                        continue;
                    }
                    foreach (var name in model.Names)
                    {
                        if (name.StartsWith(prefix, StringComparison.Ordinal) && name.AsSpan(prefix.Length).IndexOfAny('.', '(') < 0
                            && !attributes.Contains(name[prefix.Length..]))
                        {
                            attributes.Add(name[prefix.Length..]);
                            found ??= (model.Kind, api.Path);
                        }
                    }
                }
            }
        }
        return found is var (kind, library) ? new HandlerSource(kind, library, attributes) : null;
    }
}

/// <summary>What an instance of a request handler class carries (<see cref="ProjectIndex.HandlerSourceOf"/>).</summary>
/// <param name="Base">The library base whose source models name the attributes (<c>http.server.BaseHTTPRequestHandler</c>).</param>
internal sealed record HandlerSource(string Kind, string Base, IReadOnlyList<string> Attributes);
