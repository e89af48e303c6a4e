namespace PickleGuard.Cli;

/// <summary>A command line that parses but cannot be acted on (bad value, missing file); exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
