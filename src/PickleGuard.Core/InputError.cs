namespace PickleGuard.Core;

/// <summary>
/// A problem with one input (unreadable file, undecodable bytes, an artifact that could not be scanned
/// for a reason that is not itself a security finding). The run goes on; the exit code tells it apart
/// from findings.
/// </summary>
public sealed record InputError(string Path, string Message)
{
    /// <summary>The line of the input the problem is at, when it is at one (a syntax error), for a notebook to name its cell.</summary>
    public int? Line { get; init; }
}
