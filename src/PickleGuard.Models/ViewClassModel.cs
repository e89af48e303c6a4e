namespace PickleGuard.Models;

/// <summary>
/// Class-based views: a project class deriving (directly or through project classes) from one of <see cref="Bases"/>
/// is a view whether or not the scanned code routes it. Its methods named one of <see cref="HandlerMethods"/> get
/// the request as their first parameter after <c>self</c> (only <see cref="RequestAttributes"/> of it are data) and
/// the URL's captured parts in every later parameter; in any of its methods, <c>self.X</c> for X in
/// <see cref="ReceiverRequest"/> is the request (by attribute) and for X in <see cref="ReceiverData"/> is client data
/// (<c>self.kwargs["pk"]</c>). A method decorated by one of <see cref="HandlerDecorators"/> (DRF's <c>@action</c>) is a
/// handler too, and so is a method whose name starts with one of <see cref="HandlerPrefixes"/> (rpyc's <c>exposed_</c>).
/// Without <see cref="RequestParameter"/> no parameter is a request: each one after <c>self</c> is an argument the
/// peer chose (an RPC service's exposed methods). Without <see cref="LaterParameters"/> the parameters after the
/// request are the server's, not URL parts (TorchServe's <c>handle(self, data, context)</c>).
/// </summary>
public sealed record ViewClassModel(
    string Kind,
    IReadOnlyList<string> Bases,
    IReadOnlyList<string> HandlerMethods,
    IReadOnlyList<string> RequestAttributes,
    IReadOnlyList<string> ReceiverRequest,
    IReadOnlyList<string> ReceiverData,
    string Reason,
    string Reference,
    ModelOrigin Origin)
{
    public IReadOnlyList<string> HandlerDecorators { get; init; } = [];

    public IReadOnlyList<string> HandlerPrefixes { get; init; } = [];

    public bool RequestParameter { get; init; } = true;

    public bool LaterParameters { get; init; } = true;

    /// <summary>Whether a method named <paramref name="name"/> is one of the handlers (by name or by prefix).</summary>
    public bool IsHandlerName(string name) =>
        HandlerMethods.Contains(name) || HandlerPrefixes.Any(prefix => name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal));
}
