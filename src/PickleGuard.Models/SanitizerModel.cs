namespace PickleGuard.Models;

/// <summary>An API that clears, verifies or guards tainted data (see <see cref="SanitizerEffect"/>).</summary>
public sealed record SanitizerModel(SanitizerEffect Effect, IReadOnlyList<string> Names, string Reason, string Reference, ModelOrigin Origin);
