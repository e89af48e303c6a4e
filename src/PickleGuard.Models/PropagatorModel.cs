namespace PickleGuard.Models;

/// <summary>
/// A call whose result carries the provenance of its input: a function (<see cref="Names"/>, API paths) or a method
/// by name on any receiver (<see cref="Methods"/>). Used now for constant reasoning (a file opened by a literal path),
/// later by the taint engine.
/// </summary>
public sealed record PropagatorModel(
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Methods,
    PropagatorSource From,
    ArgumentSelector? Argument,
    string Reason,
    string Reference,
    ModelOrigin Origin);
