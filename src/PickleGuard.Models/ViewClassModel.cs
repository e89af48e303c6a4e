namespace PickleGuard.Models;

/// <summary>
/// Class-based views: a project class deriving (directly or through project classes) from one of <see cref="Bases"/>
/// is a view whether or not the scanned code routes it. Its methods named one of <see cref="HandlerMethods"/> get
/// the request as their first parameter after <c>self</c> (only <see cref="RequestAttributes"/> of it are data) and
/// the URL's captured parts in every later parameter; in any of its methods, <c>self.X</c> for X in
/// <see cref="ReceiverRequest"/> is the request (by attribute) and for X in <see cref="ReceiverData"/> is client data
/// (<c>self.kwargs["pk"]</c>). A method decorated by one of <see cref="HandlerDecorators"/> (DRF's <c>@action</c>) is a
/// handler too.
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
}
