namespace PickleGuard.Models;

/// <summary>
/// One parameter of a modelled call, found by 0-based position and/or keyword name.
/// At least one of <see cref="Position"/> and <see cref="Keyword"/> is set, except in a condition on a class the
/// library always uses, which no argument can choose (<c>yaml.safe_load</c>'s loader).
/// </summary>
public sealed record ArgumentSelector(int? Position, string? Keyword, CallPart On = CallPart.Call);
