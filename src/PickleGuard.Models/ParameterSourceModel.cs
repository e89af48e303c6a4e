namespace PickleGuard.Models;

/// <summary>
/// Parameters that receive data from outside the program: every parameter of a function decorated by one of
/// <see cref="DecoratedBy"/> (route handlers), or of a function named one of <see cref="FunctionNames"/>, or the
/// first parameter (after <c>self</c>) when it is named one of <see cref="FirstParameterNames"/> (a request object).
/// When <see cref="ParameterNames"/> is not empty only those parameters count; when <see cref="Attributes"/> is not
/// empty the parameter itself is not a source, only those attributes of it are (<c>request.GET</c>, not
/// <c>request.user</c>).
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
    ModelOrigin Origin);
