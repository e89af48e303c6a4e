using System.Runtime.InteropServices;

namespace PickleGuard.Models;

/// <summary>
/// The taint engine's models: sources by API path (and by their last name segment, a cheap filter before
/// resolving an expression), parameter sources, and sanitizers by API path. Immutable once built.
/// </summary>
public sealed class TaintModels
{
    private readonly Dictionary<string, SourceModel> _sourcesByName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sourceLastSegments = new(StringComparer.Ordinal);

    /// <summary>
    /// The first segments (<see cref="Root"/>) of the source names, each with the lengths of its shortest and longest
    /// names: a path under none of them denotes no source, and a prefix of another length is no name under its root.
    /// </summary>
    private readonly Dictionary<string, (int Shortest, int Longest)> _sourceRoots = new(StringComparer.Ordinal);

    private readonly HashSet<string> _clientAttributes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _clientsMadeBy = new(StringComparer.Ordinal);

    /// <summary>The models by the exact API paths they name, shared with the <see cref="ModelSet"/> (<see cref="PathModels"/>).</summary>
    private readonly PathModelTable _byPath;

    /// <summary>Callback sources registered by a method on objects made under a namespace (<see cref="CallbackSourceModel.Methods"/>), by method.</summary>
    private readonly Dictionary<string, List<(string Namespace, CallbackSourceModel Model)>> _callbacksByMethod = new(StringComparer.Ordinal);

    internal TaintModels(TaintModelBuilder builder, PathModelTable byPath)
    {
        _byPath = byPath;
        Sources = builder.Sources.ToArray();
        ParameterSources = builder.ParameterSources.ToArray();
        Sanitizers = builder.Sanitizers.ToArray();
        CallbackSources = builder.CallbackSources.ToArray();
        ViewClasses = builder.ViewClasses.ToArray();
        Hooks = builder.Hooks.ToArray();
        foreach (var hook in Hooks)
        {
            foreach (var name in hook.Names)
            {
                byPath.At(name).Hook = hook;
            }
        }
        Runners = builder.Runners.ToArray();
        foreach (var runner in Runners)
        {
            foreach (var name in runner.Names)
            {
                byPath.At(name).Runner = runner;
            }
        }
        RecordBases = builder.RecordBases.ToArray();
        foreach (var recordBase in RecordBases)
        {
            foreach (var name in recordBase.Names)
            {
                byPath.At(name).IsRecordBase = true;
            }
        }
        foreach (var callback in CallbackSources)
        {
            foreach (var method in callback.Methods)
            {
                if (!_callbacksByMethod.TryGetValue(method, out var byNamespace))
                {
                    _callbacksByMethod[method] = byNamespace = [];
                }
                byNamespace.AddRange(callback.Names.Select(name => (name + ".", callback)));
            }
            if (callback.Methods.Count > 0)
            {
                continue;
            }
            foreach (var name in callback.Names)
            {
                byPath.At(name).AddCallback(callback);
            }
        }
        foreach (var source in Sources)
        {
            if (source.RunsCommand is not null)
            {
                foreach (var name in source.Names)
                {
                    byPath.At(name).CommandRunner = source;
                }
                continue; // a source only for the commands that download into a file: never by its path alone
            }
            foreach (var name in source.Names)
            {
                _sourcesByName[name] = source;
                _sourceLastSegments.Add(LastSegment(name));
                ref var lengths = ref CollectionsMarshal.GetValueRefOrAddDefault(_sourceRoots, Root(name).ToString(), out var known);
                lengths = known ? (Math.Min(lengths.Shortest, name.Length), Math.Max(lengths.Longest, name.Length)) : (name.Length, name.Length);
            }
            _clientAttributes.UnionWith(source.Attributes);
            AddClientsMade(source.ClientAttributes);
        }
        foreach (var parameterSource in ParameterSources)
        {
            AddClientsMade(parameterSource.ClientAttributes);
        }
        foreach (var sanitizer in Sanitizers)
        {
            foreach (var name in sanitizer.Names)
            {
                byPath.At(name).Sanitizer = sanitizer;
            }
        }
    }

    public IReadOnlyList<SourceModel> Sources { get; }

    public IReadOnlyList<ParameterSourceModel> ParameterSources { get; }

    public IReadOnlyList<SanitizerModel> Sanitizers { get; }

    /// <summary>Calls that register a callback the library later calls with outside data.</summary>
    public IReadOnlyList<CallbackSourceModel> CallbackSources { get; }

    /// <summary>Class-based views recognised by their bases, routed or not.</summary>
    public IReadOnlyList<ViewClassModel> ViewClasses { get; }

    /// <summary>Calls that decode data and call the project's hooks with it (<c>json.loads(s, object_hook=f)</c>).</summary>
    public IReadOnlyList<HookModel> Hooks { get; }

    /// <summary>The hooks a call to <paramref name="apiPath"/> (exact path) calls with what it decodes, or null.</summary>
    public HookModel? HookFor(string apiPath) => _byPath.Of(apiPath)?.Hook;

    /// <summary>Calls that run a project function with arguments of their own first (<c>Fabric().launch(fn, *args)</c>).</summary>
    public IReadOnlyList<RunnerModel> Runners { get; }

    /// <summary>The runner a call to <paramref name="apiPath"/> (exact path) is, or null.</summary>
    public RunnerModel? RunnerFor(string apiPath) => _byPath.Of(apiPath)?.Runner;

    /// <summary>Library bases whose constructor stores each keyword in the attribute it names (<c>declarative_base()</c>).</summary>
    public IReadOnlyList<RecordBaseModel> RecordBases { get; }

    /// <summary>Whether the library class <paramref name="apiPath"/> (exact path) is a <see cref="RecordBaseModel"/>.</summary>
    public bool IsRecordBase(string apiPath) => _byPath.Of(apiPath)?.IsRecordBase ?? false;

    /// <summary>
    /// The callback sources registered by a call to <paramref name="apiPath"/>: those naming the exact path, and those
    /// whose methods it calls on an object a call under their namespace made (<c>gradio.Dropdown().change</c>: the path
    /// starts with <c>gradio.</c> and its receiver is a call's result; <c>gradio.load</c> is no listener).
    /// </summary>
    public IReadOnlyList<CallbackSourceModel> CallbackSourcesFor(string apiPath) => CallbackSourcesFor(apiPath, _byPath.Of(apiPath));

    /// <summary>
    /// <see cref="CallbackSourcesFor(string)"/> given what the models naming the path exactly say, <paramref name="named"/>
    /// (<see cref="ModelSet.ModelsNaming"/>): a caller that looked the path up once does not look it up again.
    /// </summary>
    public IReadOnlyList<CallbackSourceModel> CallbackSourcesFor(string apiPath, PathModels? named)
    {
        var exact = named?.Callbacks ?? Array.Empty<CallbackSourceModel>(); // not `[]`: a new List per miss
        var dot = apiPath.LastIndexOf('.');
        if (dot < 0 || !apiPath.AsSpan(0, dot).EndsWith(ApiPath.CallMarker, StringComparison.Ordinal)
            || !_callbacksByMethod.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(apiPath.AsSpan(dot + 1), out var byNamespace))
        {
            return exact;
        }
        List<CallbackSourceModel>? onObjects = null; // made for a match only: most paths here match none
        foreach (var (ns, model) in byNamespace)
        {
            if (apiPath.StartsWith(ns, StringComparison.Ordinal))
            {
                (onObjects ??= []).Add(model);
            }
        }
        return onObjects is null ? exact : [.. exact, .. onObjects];
    }

    /// <summary>True when some source's last segment is <paramref name="name"/> (an attribute or called method name).</summary>
    public bool MayBeSource(string name) => _sourceLastSegments.Contains(name);

    /// <summary>True when some client-object source lists <paramref name="name"/> among the attributes its clients read data through.</summary>
    public bool MayBeClientRead(string name) => _clientAttributes.Contains(name);

    /// <summary>
    /// The reads of the client that a client object's attribute <paramref name="attribute"/> makes (<c>pipeline</c>:
    /// <c>execute</c>), or null when that attribute gives data. One list per name, whichever models name it (their
    /// reads joined): a client origin is told apart by its list (<c>OriginKey.Attributes</c>), so it must be one object.
    /// </summary>
    public IReadOnlyList<string>? ClientMadeBy(string attribute) => _clientsMadeBy.GetValueOrDefault(attribute);

    private void AddClientsMade(IReadOnlyDictionary<string, IReadOnlyList<string>> clients)
    {
        foreach (var (attribute, reads) in clients)
        {
            _clientsMadeBy[attribute] = _clientsMadeBy.TryGetValue(attribute, out var known) ? known.Union(reads, StringComparer.Ordinal).ToArray() : reads;
        }
    }

    /// <summary>
    /// The client-object source whose client <paramref name="apiPath"/> reads data from, with the client's name: the
    /// source's name called, then one of its <see cref="SourceModel.Attributes"/> (<c>redis.StrictRedis().hgetall</c>);
    /// null for any other path (<c>redis.StrictRedis().set</c>).
    /// </summary>
    public (SourceModel Model, string Name)? ClientReadFor(string apiPath)
    {
        var dot = apiPath.LastIndexOf('.');
        if (dot < ApiPath.CallMarker.Length || !apiPath.AsSpan(0, dot).EndsWith(ApiPath.CallMarker, StringComparison.Ordinal))
        {
            return null;
        }
        // Looked up as spans, the client's name made only for a match: this runs for every API path the calls name.
        var attribute = apiPath.AsSpan(dot + 1);
        if (!_clientAttributes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(attribute)
            || !_sourcesByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(apiPath.AsSpan(0, dot - ApiPath.CallMarker.Length), out var client, out var model))
        {
            return null;
        }
        foreach (var listed in model.Attributes)
        {
            if (attribute.SequenceEqual(listed))
            {
                return (model, client);
            }
        }
        return null;
    }

    /// <summary>The source an API path denotes, with the matched name: the path itself or a prefix ending before '.' or '('.</summary>
    public (SourceModel Model, string Name)? SourceFor(string apiPath)
    {
        // Every prefix the walk looks up has the path's first segment: a path under none of the sources' first segments
        // (`json.dumps`, `re.compile().match`) is answered by one lookup instead of one per prefix, and under one only
        // the prefixes as long as some name under it are looked up (none of `builtins.len`'s: the root's one name is
        // `builtins.input`). Prefixes are looked up as spans: this runs for every API path the calls name.
        if (!_sourceRoots.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(Root(apiPath), out var lengths))
        {
            return null;
        }
        var byPrefix = _sourcesByName.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var path = apiPath.AsSpan(); path.Length > 0 && path.Length >= lengths.Shortest; path = Parent(path))
        {
            if (path.Length <= lengths.Longest && byPrefix.TryGetValue(path, out var name, out var model))
            {
                return (model, name);
            }
        }
        return null;
    }

    /// <summary>The source whose calls run a command (<see cref="SourceModel.RunsCommand"/>) that <paramref name="apiPath"/> (exact path) is, or null.</summary>
    public SourceModel? CommandRunnerFor(string apiPath) => _byPath.Of(apiPath)?.CommandRunner;

    public SanitizerModel? SanitizerFor(string apiPath) => _byPath.Of(apiPath)?.Sanitizer;

    /// <summary>The last identifier of a path (<c>socket.socket().recv</c> → <c>recv</c>).</summary>
    public static string LastSegment(string path)
    {
        var trimmed = path.EndsWith(ApiPath.CallMarker, StringComparison.Ordinal) ? path[..^2] : path;
        var dot = trimmed.LastIndexOf('.');
        return dot < 0 ? trimmed : trimmed[(dot + 1)..];
    }

    /// <summary>
    /// A path's first segment, up to its first '.' or '(' (<c>socket</c> of <c>socket.socket().recv</c>): the same for
    /// the path and each <see cref="Parent"/> of it, which cuts at a later '.' or drops a final <c>()</c>.
    /// </summary>
    private static ReadOnlySpan<char> Root(ReadOnlySpan<char> path) => path.IndexOfAny('.', '(') is >= 0 and var end ? path[..end] : path;

    private static ReadOnlySpan<char> Parent(ReadOnlySpan<char> path)
    {
        if (path.EndsWith(ApiPath.CallMarker, StringComparison.Ordinal))
        {
            return path[..^2];
        }
        var dot = path.LastIndexOf('.');
        return dot < 0 ? [] : path[..dot];
    }
}
