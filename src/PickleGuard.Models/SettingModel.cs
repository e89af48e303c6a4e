namespace PickleGuard.Models;

/// <summary>
/// A configuration setting that makes a framework unpickle data it receives (Django's <c>SESSION_SERIALIZER</c>,
/// celery's <c>accept_content</c>), or a call that turns pickle on (kombu's <c>enable_insecure_serializers()</c>).
/// The code that unpickles is in the framework, not in the scanned project: the setting is where a reviewer acts.
/// </summary>
/// <param name="Names">Setting names, matched wherever a value is given to them: an assignment to the name or to an
/// attribute of that name, a keyword argument, a string key in a dict display or a subscript.</param>
/// <param name="Calls">API paths of calls that turn pickle on.</param>
/// <param name="Values">A literal equal to one of these (a string, or True/False), or a list, tuple or set display
/// holding one, turns pickle on.</param>
/// <param name="Argument">For <see cref="Calls"/>: the argument holding the value; a call without it turns pickle on
/// (the default), a literal without any of <see cref="Values"/> does not.</param>
public sealed record SettingModel(
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Calls,
    IReadOnlyList<ModelLiteral> Values,
    ArgumentSelector? Argument,
    string Rule,
    string Library,
    string Reason,
    string Reference,
    ModelOrigin Origin)
{
    /// <summary>Whether a keyword argument of one of <see cref="Names"/> counts (false when other libraries take a keyword of that name: numpy's <c>allow_pickle=True</c>).</summary>
    public bool AsKeyword { get; init; } = true;
}
