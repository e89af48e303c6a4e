namespace PickleGuard.Models;

/// <summary>
/// A source registered by call: the callable passed as <see cref="Callback"/> of a call to one of <see cref="Names"/>
/// is later called by the library with outside data (<c>channel.basic_consume(on_message_callback=cb)</c> calls
/// <c>cb(ch, method, properties, body)</c> with a queue message). The callback's parameters at
/// <see cref="Positions"/> (0-based, in the library's call; empty: every parameter) are sources of <see cref="Kind"/>.
/// With <see cref="Instance"/> the argument is an object whose public methods are all exposed
/// (<c>register_instance(obj)</c>), and every parameter of each is a source. With <see cref="Attributes"/> only
/// those attributes of the parameter are data (a request object).
/// <para>
/// URL routes (<c>django.urls.path</c>): with <see cref="LaterParameters"/> every parameter after the last of
/// <see cref="Positions"/> (<c>*args</c> and <c>**kwargs</c> included) is plain client data, the URL's captured parts;
/// when <see cref="Route"/> reads a literal route only the parameters it captures are, and the string keys of a
/// literal dict at <see cref="FixedKeywords"/> (<c>kwargs={"mode": "x"}</c>) never are. A call registering a
/// route is a route handler's registration (<see cref="Route"/> set). With <see cref="HandlerMethods"/> the
/// argument may be a project class, or <c>C.<see cref="ViewFactory"/>(...)</c> of one (<c>MyView.as_view()</c>):
/// the library calls those methods of it, positions counted after <c>self</c>. A call to one of <see cref="Includes"/> as
/// the view (<c>path("api/&lt;int:version&gt;/", include("app.urls"))</c>) routes the named URLconf module under this
/// route: its views get the names this route captures as well.
/// </para>
/// </summary>
public sealed record CallbackSourceModel(
    string Kind,
    IReadOnlyList<string> Names,
    ArgumentSelector? Callback,
    IReadOnlyList<int> Positions,
    bool Instance,
    IReadOnlyList<string> Attributes,
    string Reason,
    string Reference,
    ModelOrigin Origin)
{
    /// <summary>
    /// Instead of one <see cref="Callback"/> argument, every keyword argument's value and every value of a <c>**</c> dict
    /// display is a callback, the keyword naming something else (redis-py's <c>pubsub.subscribe(jobs=handler)</c> and
    /// <c>subscribe(**{"jobs": handler})</c>: a channel and the handler of its messages).
    /// </summary>
    public bool KeywordCallbacks { get; init; }

    public bool LaterParameters { get; init; }

    public RouteArgument? Route { get; init; }

    public ArgumentSelector? FixedKeywords { get; init; }

    public string? ViewFactory { get; init; }

    public IReadOnlyList<string> HandlerMethods { get; init; } = [];

    public IReadOnlyList<string> Includes { get; init; } = [];

    /// <summary>Methods of a routed class decorated by one of these (DRF's <c>@action</c>) are handlers too.</summary>
    public IReadOnlyList<string> HandlerDecorators { get; init; } = [];

    /// <summary>
    /// With methods, <see cref="Names"/> are namespaces and the registering call is one of these methods called on
    /// any object a call under one of them made: Gradio's event listeners, <c>gradio.Dropdown().change</c>,
    /// <c>gradio.Button().click().then</c>, <c>gradio.Blocks().load</c> (<see cref="TaintModels.CallbackSourcesFor"/>).
    /// </summary>
    public IReadOnlyList<string> Methods { get; init; } = [];
}
