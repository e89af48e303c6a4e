namespace PickleGuard.Pickle.Containers.Zip;

/// <summary>What <see cref="ZipDirectoryReader"/> learned about an archive: its members and every oddity.</summary>
internal sealed class ZipLayout
{
    /// <summary>Members listed by the central directory (what torch.load/miniz and zipfile read), in directory order.</summary>
    public List<ZipEntry> Entries { get; } = [];

    /// <summary>Members found walking local headers that the central directory does not list (what streaming readers see).</summary>
    public List<ZipEntry> LocalOnlyEntries { get; } = [];

    /// <summary>Oddities as (rule code, message).</summary>
    public List<(string Code, string Message)> Issues { get; } = [];

    /// <summary>Where the archive's first byte is in the file (non-zero when bytes were put before it).</summary>
    public long ArchiveStart { get; set; }

    /// <summary>Set when no usable central directory was found.</summary>
    public string? Failure { get; set; }
}
