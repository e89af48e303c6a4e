namespace PickleGuard.Core;

/// <summary>
/// Where a finding or a trace step is. Source code uses 1-based <see cref="Line"/> and <see cref="Column"/>
/// (0 when unknown); artifacts use <see cref="ByteOffset"/> inside the pickle stream of <see cref="Member"/>
/// (the archive member path, e.g. <c>archive/data.pkl</c>; null for a bare file).
/// </summary>
public sealed record Location(string Path, int Line = 0, int Column = 0, long? ByteOffset = null, string? Member = null)
{
    /// <summary>The path as users see it: <c>model.pt!archive/data.pkl</c> for an archive member.</summary>
    public string DisplayPath => Member is null ? Path : Path + "!" + Member;
}
