using PickleGuard.Core;
using PickleGuard.Pickle.Containers.Streams;

namespace PickleGuard.Pickle.Containers;

/// <summary>The state of scanning one file: what was found so far and what the limits still allow.</summary>
internal sealed class ScanContext(string path, ContainerLimits limits, long? fileLength) : IDisposable
{
    private readonly List<IDisposable> owned = [];
    private readonly HashSet<string> reportedOnce = new(StringComparer.Ordinal);
    private readonly HashSet<Exception> reportedFaults = [];

    public string Path { get; } = path;

    public ContainerLimits Limits { get; } = limits;

    public DecompressionBudget Budget { get; } = new(limits, fileLength);

    public List<Finding> Findings { get; } = [];

    public List<InputError> Errors { get; } = [];

    public int Members { get; set; }

    public void Report(string code, string? member, long? offset, string message)
    {
        var rule = ContainerRules.Find(code);
        var severity = rule?.DefaultSeverity ?? Severity.Medium;
        Findings.Add(new Finding(code, severity, new Location(Path, ByteOffset: offset, Member: member), message));
    }

    /// <summary>Reports a finding only the first time its code is raised for this file (limits, not every member).</summary>
    public void ReportOnce(string code, string? member, long? offset, string message)
    {
        if (reportedOnce.Add(code))
        {
            Report(code, member, offset, message);
        }
    }

    /// <summary>
    /// True the first time a decoding fault is seen: the same exception can reach both the scan that was reading and the
    /// stream that recorded it, and must be reported once.
    /// </summary>
    public bool IsNewFault(Exception fault) => reportedFaults.Add(fault);

    /// <summary>Keeps <paramref name="resource"/> (a temporary file) until the scan of this file ends.</summary>
    public T Own<T>(T resource)
        where T : IDisposable
    {
        owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        foreach (var resource in owned)
        {
            resource.Dispose();
        }

        owned.Clear();
    }

    /// <summary>The member path of a child: <c>outer!inner</c> when nested.</summary>
    public static string Join(string? member, string name) => member is null ? name : member + "!" + name;
}
