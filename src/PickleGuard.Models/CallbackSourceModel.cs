namespace PickleGuard.Models;

/// <summary>
/// A source registered by call: the callable passed as <see cref="Callback"/> of a call to one of <see cref="Names"/>
/// is later called by the library with outside data (<c>channel.basic_consume(on_message_callback=cb)</c> calls
/// <c>cb(ch, method, properties, body)</c> with a queue message). The callback's parameters at
/// <see cref="Positions"/> (0-based, in the library's call; empty: every parameter) are sources of <see cref="Kind"/>.
/// With <see cref="Instance"/> the argument is an object whose public methods are all exposed
/// (<c>register_instance(obj)</c>), and every parameter of each is a source. With <see cref="Attributes"/> only
/// those attributes of the parameter are data (a request object).
/// </summary>
public sealed record CallbackSourceModel(
    string Kind,
    IReadOnlyList<string> Names,
    ArgumentSelector Callback,
    IReadOnlyList<int> Positions,
    bool Instance,
    IReadOnlyList<string> Attributes,
    string Reason,
    string Reference,
    ModelOrigin Origin);
