namespace PickleGuard.Pickle.Opcodes;

/// <summary>How an opcode's inline argument is encoded (the <c>ArgumentDescriptor</c>s of <c>pickletools</c>).</summary>
public enum ArgumentKind : byte
{
    None,
    /// <summary>One unsigned byte.</summary>
    UInt1,
    /// <summary>Two-byte little-endian unsigned.</summary>
    UInt2,
    /// <summary>Four-byte little-endian signed.</summary>
    Int4,
    /// <summary>Four-byte little-endian unsigned.</summary>
    UInt4,
    /// <summary>Eight-byte little-endian unsigned (FRAME length).</summary>
    UInt8,
    /// <summary>Text integer up to a newline, read like C <c>strtol(s, 0)</c> with a fallback to <c>int(s, 0)</c> (INT).</summary>
    DecimalLineShort,
    /// <summary>Text integer up to a newline with an optional trailing <c>L</c> (LONG).</summary>
    DecimalLineLong,
    /// <summary>Text base-10 memo index up to a newline (GET, PUT).</summary>
    MemoIndexLine,
    /// <summary>Text float up to a newline.</summary>
    FloatLine,
    /// <summary>Eight-byte big-endian IEEE double.</summary>
    Float8,
    /// <summary>Quoted, escaped Python 2 string literal up to a newline (STRING).</summary>
    QuotedStringLine,
    /// <summary>raw-unicode-escape text up to a newline (UNICODE).</summary>
    UnicodeLine,
    /// <summary>Raw text up to a newline (PERSID).</summary>
    RawLine,
    /// <summary>Two raw text lines: module and qualified name (GLOBAL, INST).</summary>
    TwoRawLines,
    /// <summary>Length-prefixed payloads: 1-byte, 4-byte signed, 4-byte unsigned or 8-byte length.</summary>
    Bytes1,
    Bytes4Signed,
    Bytes4,
    Bytes8,
    /// <summary>Length-prefixed little-endian two's complement integer (LONG1, LONG4).</summary>
    Long1,
    Long4,
}
