namespace PickleGuard.Models;

/// <summary>Calls whose result is data the program itself produced (e.g. <c>pickle.dumps</c>): never attacker input.</summary>
public sealed record SerializerModel(IReadOnlyList<string> Names, string Reason, string Reference, ModelOrigin Origin);
