using System.Buffers.Binary;
using System.IO.Compression;

namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>Recognises container formats by their leading bytes (magic numbers), never by file name.</summary>
internal static class Magic
{
    /// <summary>Bytes of head needed to recognise every format (tar's "ustar" sits at offset 257).</summary>
    public const int HeadLength = 512;

    /// <summary>The pickle of torch's legacy magic number 0x1950a86a20f9469cfc6c (protocol 2, LONG1).</summary>
    private static ReadOnlySpan<byte> TorchLegacyMagic =>
        [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E];

    private static ReadOnlySpan<byte> NumpyMagic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    private static ReadOnlySpan<byte> XzMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    private static ReadOnlySpan<byte> SevenZipMagic => [(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C];

    public static ContainerFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(TorchLegacyMagic))
        {
            return ContainerFormat.TorchLegacy;
        }

        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8) || head.StartsWith("PK\x07\x08PK\x03\x04"u8))
        {
            return ContainerFormat.Zip;
        }

        if (head.StartsWith(NumpyMagic))
        {
            return ContainerFormat.Npy;
        }

        if (head.StartsWith(GzipMagic))
        {
            return ContainerFormat.Gzip;
        }

        if (head.Length >= 4 && head.StartsWith("BZh"u8) && head[3] is >= (byte)'1' and <= (byte)'9')
        {
            return ContainerFormat.Bzip2;
        }

        if (head.StartsWith(XzMagic))
        {
            return ContainerFormat.Xz;
        }

        if (head.StartsWith(SevenZipMagic))
        {
            return ContainerFormat.SevenZip;
        }

        if (head.Length >= 4 && IsZstdFrame(BinaryPrimitives.ReadUInt32LittleEndian(head)))
        {
            return ContainerFormat.Zstd;
        }

        if (head.StartsWith("\x04\x22\x4D\x18"u8))
        {
            return ContainerFormat.Lz4Frame;
        }

        if (head.StartsWith("ZF0x"u8))
        {
            return ContainerFormat.JoblibZlib;
        }

        if (IsZlibStream(head))
        {
            return ContainerFormat.Zlib;
        }

        if (IsTarHeader(head))
        {
            return ContainerFormat.Tar;
        }

        if (IsLzmaAloneHeader(head))
        {
            return ContainerFormat.LzmaAlone;
        }

        return ContainerFormat.Unknown;
    }

    /// <summary>Pickle protocol 2–5 start with PROTO; earlier protocols have no magic and are left to the pickle sniffer.</summary>
    public static bool IsProtocolHeader(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5;

    // A zstd frame, or a skippable frame (0x184D2A50–0x184D2A5F) that zstd decoders pass over.
    private static bool IsZstdFrame(uint magic) => magic == 0xFD2FB528 || (magic & 0xFFFFFFF0) == 0x184D2A50;

    // The zlib header is two bytes with a checksum, and a protocol 0/1 pickle (`(S`, a Python 2 tuple of strings) or
    // text ("XG" of "XGBoost", "HK" of "HKEY_", "x^2") can start with them. Such a head counts as zlib
    // only when its deflate data decodes; otherwise the pickle sniffer decides, so a payload is scanned and a README
    // is no corrupt artifact (xgboost's six were PG220 medium). Deflate output is binary, so a binary head that does
    // not decode stays zlib and is reported as undecodable (PG220): a stream corrupted near its start.
    private static bool IsZlibStream(ReadOnlySpan<byte> head) =>
        IsZlibHeader(head) && (!(PickleSniffer.LooksLikePickle(head) || PlainText.IsPlainText(head)) || DeflateHeadDecodes(head));

    private static bool DeflateHeadDecodes(ReadOnlySpan<byte> head)
    {
        using var zlib = new ZLibStream(new MemoryStream(head.ToArray()), CompressionMode.Decompress);
        var sink = new byte[4096];
        try
        {
            while (zlib.Read(sink) > 0)
            {
            }

            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    // RFC 1950: CM = 8 (deflate), window ≤ 32 KiB, header checksum divisible by 31, no preset dictionary.
    private static bool IsZlibHeader(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && (head[0] & 0x0F) == 8 && (head[0] >> 4) <= 7 && ((head[0] << 8) | head[1]) % 31 == 0 &&
        (head[1] & 0x20) == 0;

    // tar: a 512-byte header whose checksum field matches its bytes (unsigned or signed sum), exactly as tarfile checks it.
    private static bool IsTarHeader(ReadOnlySpan<byte> head)
    {
        // Python's tarfile (torch.load tries it first on legacy files) accepts a header by its checksum alone: the
        // "ustar" magic proves nothing (a pickle can carry it and still be unpickled when tarfile rejects the header).
        if (head.Length < 512 || !head[..512].ContainsAnyExcept((byte)0) || !TryReadTarChecksum(head.Slice(148, 8), out long recorded))
        {
            return false;
        }

        long unsigned = 256, signed = 256;
        for (var i = 0; i < 512; i++)
        {
            if (i is >= 148 and < 156)
            {
                continue;
            }

            unsigned += head[i];
            signed += (sbyte)head[i];
        }

        return recorded == unsigned || recorded == signed;
    }

    /// <summary>tarfile's <c>nti</c>: base-256 when the first byte is 0x80/0xFF, else octal text up to the first NUL, stripped.</summary>
    private static bool TryReadTarChecksum(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field[0] is 0x80 or 0xFF)
        {
            foreach (var b in field[1..])
            {
                value = (value << 8) + b;
            }

            if (field[0] == 0xFF)
            {
                value -= 1L << (8 * (field.Length - 1));
            }

            return true;
        }

        var nul = field.IndexOf((byte)0);
        var text = nul >= 0 ? field[..nul] : field;
        if (text.ContainsAnyExceptInRange((byte)0, (byte)0x7F))
        {
            return false;
        }

        var trimmed = System.Text.Encoding.ASCII.GetString(text).Trim(' ', '\t', '\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x1f');
        bool negative = trimmed.StartsWith('-');
        var digits = trimmed.TrimStart('+', '-');
        if (trimmed.Length == 0)
        {
            return true;
        }

        if (digits.Length == 0 || digits[0] == '_' || digits[^1] == '_' || digits.Contains("__", StringComparison.Ordinal) || trimmed.Length - digits.Length > 1)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c == '_')
            {
                continue;
            }

            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        value = negative ? -value : value;
        return true;
    }

    // .lzma ("alone"): the properties byte 0x5D (lc=3, lp=0, pb=2: what xz --format=lzma, 7-Zip and joblib write, and
    // the only one joblib recognises a file by), a dictionary size of 2^n or 2^n + 2^(n-1), and an uncompressed size
    // that is either unknown (all ones) or plausible. Any properties byte below 225 is valid LZMA, but with so weak a
    // signature other data passes too (Kotlin metadata in a jar: 00 00 03 00 ...); a file with other properties is no
    // container to a loader, and under a pickle name it is still read as a pickle.
    private static bool IsLzmaAloneHeader(ReadOnlySpan<byte> head)
    {
        if (head.Length < 13 || head[0] != 0x5D)
        {
            return false;
        }

        var dictionary = BinaryPrimitives.ReadUInt32LittleEndian(head[1..]);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(head[5..]);
        var dictionaryOk = dictionary >= 4096 &&
                           (uint.IsPow2(dictionary) || (dictionary % 3 == 0 && uint.IsPow2(dictionary / 3)));
        return dictionaryOk && (size == ulong.MaxValue || size < (1UL << 48));
    }
}
