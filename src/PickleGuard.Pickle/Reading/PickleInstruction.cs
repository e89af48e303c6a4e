using PickleGuard.Pickle.Opcodes;

namespace PickleGuard.Pickle.Reading;

/// <summary>
/// One decoded opcode and its argument. The reader fills one instance again and again (no allocation per opcode
/// unless the argument is text or bytes).
/// </summary>
public struct PickleInstruction
{
    public PickleOpcode Opcode;

    /// <summary>Byte offset of the opcode in the scanned stream.</summary>
    public long Offset;

    /// <summary>Integer argument: fixed-width ints, memo indexes, PROTO, EXT codes, FRAME length, small INT/LONG values.</summary>
    public long Integer;

    /// <summary>True when an INT/LONG/LONG1/LONG4 value does not fit a long; <see cref="Text"/> then holds its decimal digits.</summary>
    public bool IsBigInteger;

    /// <summary>True when INT was written as <c>I00</c>/<c>I01</c> (protocol 0/1 booleans).</summary>
    public bool IsBoolean;

    public double Float;

    /// <summary>Decoded text: str payloads, GLOBAL/INST module, PERSID, big integers.</summary>
    public string? Text;

    /// <summary>GLOBAL/INST qualified name.</summary>
    public string? Text2;

    /// <summary>Retained bytes of a bytes payload (a prefix when <see cref="DeclaredLength"/> is larger).</summary>
    public byte[]? Data;

    /// <summary>Length the payload declares (for text and bytes payloads).</summary>
    public long DeclaredLength;

    /// <summary>True when the payload was longer than the retention limit and only a prefix was kept.</summary>
    public bool IsPayloadTruncated;

    /// <summary>Starts a new instruction: clears what a decoder may leave unset (numeric fields are always written by the decoder that uses them).</summary>
    public void Reset(PickleOpcode opcode, long offset)
    {
        Opcode = opcode;
        Offset = offset;
        Text = null;
        Text2 = null;
        Data = null;
        IsBigInteger = false;
        IsBoolean = false;
        IsPayloadTruncated = false;
    }
}
