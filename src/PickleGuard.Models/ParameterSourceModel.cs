namespace PickleGuard.Models;

/// <summary>
/// Parameters that receive data from outside the program: every parameter of a function decorated by one of
/// <see cref="DecoratedBy"/> (route handlers), or of a function named one of <see cref="FunctionNames"/>, or the
/// first parameter (after <c>self</c>) when it is named one of <see cref="FirstParameterNames"/> (a request object).
/// When <see cref="ParameterNames"/> is not empty only those parameters count; when <see cref="Attributes"/> is not
/// empty the parameter itself is not a source, only those attributes of it are (<c>request.GET</c>, not
/// <c>request.user</c>). With <see cref="AnnotatedWith"/> every parameter annotated with one of those classes
/// (<c>def parse(r: HttpRequest)</c>) counts, whatever its name or position. With <see cref="Signature"/> a function
/// whose parameters (after <c>self</c> for a method) are exactly those names counts (a WSGI application's
/// <c>(environ, start_response)</c>; <c>*</c> is any name: a gRPC method's <c>(*, context)</c>); with <see cref="BaseNameSuffix"/> too, only a method of a class with a base named
/// ending so (a gRPC servicer's <c>Method(self, request, context)</c>).
/// </summary>
public sealed record ParameterSourceModel(
    string Kind,
    IReadOnlyList<string> DecoratedBy,
    IReadOnlyList<string> FunctionNames,
    IReadOnlyList<string> FirstParameterNames,
    IReadOnlyList<string> ParameterNames,
    IReadOnlyList<string> Attributes,
    string Reason,
    string Reference,
    ModelOrigin Origin)
{
    public IReadOnlyList<string> AnnotatedWith { get; init; } = [];

    public IReadOnlyList<string> Signature { get; init; } = [];

    public string? BaseNameSuffix { get; init; }

    /// <summary>As <see cref="SourceModel.ClientAttributes"/>: those of <see cref="Attributes"/> that make another client (a Redis pipeline).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ClientAttributes { get; init; } = SourceModel.EmptyClientAttributes;

    /// <summary>
    /// Functions whose first parameter <see cref="FirstParameterNames"/> does not make a request: an API client's
    /// <c>send(self, req)</c> gets a request it is about to send, not one a client sent (clearml).
    /// </summary>
    public IReadOnlyList<string> ExceptFunctionNames { get; init; } = [];
}
