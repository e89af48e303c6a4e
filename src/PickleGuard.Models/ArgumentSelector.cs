namespace PickleGuard.Models;

/// <summary>
/// One parameter of a modelled call, found by 0-based position and/or keyword name.
/// At least one of <see cref="Position"/> and <see cref="Keyword"/> is set.
/// </summary>
public sealed record ArgumentSelector(int? Position, string? Keyword, CallPart On = CallPart.Call);
