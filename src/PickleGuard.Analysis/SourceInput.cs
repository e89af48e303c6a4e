namespace PickleGuard.Analysis;

/// <summary>One Python file to analyse: its path (as reported in findings) and its raw bytes.</summary>
public sealed record SourceInput(string Path, byte[] Content);
