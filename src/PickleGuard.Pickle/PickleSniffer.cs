using PickleGuard.Pickle.Opcodes;

namespace PickleGuard.Pickle;

/// <summary>Recognises the start of a pickle stream from its first bytes.</summary>
public static class PickleSniffer
{
    /// <summary>
    /// True for a PROTO 2–5 header, and, conservatively, for protocol 0/1 streams whose first opcodes are ones a
    /// pickler writes first (MARK, a container, a global, a constant) followed by a plausible second opcode.
    /// </summary>
    public static bool LooksLikePickle(ReadOnlySpan<byte> head)
    {
        if (head.Length < 2)
        {
            return false;
        }

        if (head[0] == (byte)PickleOpcode.Proto)
        {
            return head[1] is >= 2 and <= 5 && (head.Length < 3 || OpcodeTable.IsDefined(head[2]));
        }

        return head[0] switch
        {
            (byte)'(' => OpcodeTable.IsDefined(head[1]),
            (byte)']' or (byte)'}' or (byte)')' => head[1] is (byte)'q' or (byte)'p' or (byte)'(' or (byte)'.' or (byte)'r' or (byte)'h' or (byte)'g',
            (byte)'c' => IsGlobalLine(head[1..]),
            (byte)'N' => head[1] == (byte)'.',
            (byte)'I' or (byte)'L' or (byte)'F' => IsTextNumber(head[1..]),
            (byte)'S' => head[1] is (byte)'\'' or (byte)'"',
            (byte)'V' => IsFirstUnicodeLine(head),
            (byte)'K' => head.Length > 2 && CanFollowFirstValue(head[2]),
            (byte)'M' => head.Length > 3 && CanFollowFirstValue(head[3]),
            (byte)'J' => head.Length > 5 && CanFollowFirstValue(head[5]),
            (byte)'G' => head.Length > 9 && CanFollowFirstValue(head[9]),
            _ => false,
        };
    }

    /// <summary>
    /// A protocol 0 UNICODE line that opens the stream is a string pickled on its own, and the pickler writes its memo
    /// PUT (<c>p0</c>) or STOP after it. Any byte but the newline can be in the line (raw-unicode-escape leaves Latin-1
    /// raw), so binary data that starts with 'V' and has a newline passed too: a CorelDRAW drawing record in a zip read as
    /// 342 bytes of string, then EXT1 and a bad opcode (LightGBM's logo, PG203 and PG204). A newline at the very end of
    /// the head leaves the next opcode unseen and still counts.
    /// </summary>
    private static bool IsFirstUnicodeLine(ReadOnlySpan<byte> head)
    {
        int newline = head.IndexOf((byte)'\n');
        return newline > 0 && (newline == head.Length - 1 || head[newline + 1] is (byte)'p' or (byte)'.');
    }

    private static bool IsGlobalLine(ReadOnlySpan<byte> rest)
    {
        int newline = rest.IndexOf((byte)'\n');
        var module = newline < 0 ? rest : rest[..newline];
        if (module.IsEmpty)
        {
            return false;
        }

        foreach (byte b in module)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What a pickler writes after a number that opens the stream: STOP, a memo store, another value or a tuple
    /// builder. Opcodes that need something already on the stack (APPEND, SETITEM…) cannot follow, which keeps
    /// text such as "Metadata-Version" ('M', 2 bytes, 'a') from passing for a pickle.
    /// </summary>
    private static bool CanFollowFirstValue(byte opcode) => opcode is (byte)'.' or (byte)'q' or (byte)'r' or 0x94
        or (byte)'K' or (byte)'M' or (byte)'J' or (byte)'G' or (byte)'N' or (byte)'X' or (byte)'U' or (byte)'T' or 0x8C
        or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or (byte)'(' or (byte)')' or (byte)']' or (byte)'}';

    private static bool IsTextNumber(ReadOnlySpan<byte> rest)
    {
        int newline = rest.IndexOf((byte)'\n');
        if (newline <= 0)
        {
            return false;
        }

        foreach (byte b in rest[..newline])
        {
            if (!(char.IsAsciiHexDigit((char)b) || b is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'x' or (byte)'X' or (byte)'L' or (byte)'e' or (byte)'o' or (byte)'b'))
            {
                return false;
            }
        }

        return true;
    }
}
