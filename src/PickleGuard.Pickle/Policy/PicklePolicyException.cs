namespace PickleGuard.Pickle;

/// <summary>A policy file that cannot be used (unknown directive, missing reason, unknown profile); the message names file and line.</summary>
public sealed class PicklePolicyException(string message) : Exception(message);
