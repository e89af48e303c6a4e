namespace PickleGuard.Pickle.Containers.Zip;

/// <summary>One zip member as a particular reader sees it (central directory view or local header view).</summary>
internal sealed record ZipEntry(
    string Name,
    ushort Flags,
    ushort Method,
    uint Crc,
    long CompressedSize,
    long UncompressedSize,
    long LocalHeaderOffset)
{
    /// <summary>Where the member's data starts (after the local header, whose own name and extra lengths count).</summary>
    public long DataOffset { get; init; } = -1;

    /// <summary>The local header's name, when it differs from the central one.</summary>
    public string? LocalName { get; init; }

    /// <summary>Local header's method/compressed size, when they differ from the central ones (a second view to scan).</summary>
    public ZipEntry? LocalView { get; init; }

    public bool IsEncrypted => (Flags & 1) != 0;

    public bool HasDataDescriptor => (Flags & 8) != 0;

    public bool IsDirectory => Name.EndsWith('/') && UncompressedSize == 0;
}
