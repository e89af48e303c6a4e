using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>
/// Walks one pickle's opcodes to its STOP without executing anything, to find where it ends (torch's legacy formats
/// stack pickles and raw records in one stream) and to read the few values needed to step over the raw records.
/// Security analysis is the pickle scanner's job, not this walker's.
/// </summary>
internal sealed partial class PickleWalker
{
    private const int MaxOpcodes = 10_000_000;
    private const int MaxLine = 1 << 16;

    private readonly Stream stream;
    private readonly List<WalkValue> stack = [];
    private readonly List<int> marks = [];
    private readonly Dictionary<long, WalkValue> memo = [];

    private PickleWalker(Stream stream) => this.stream = stream;

    /// <summary>
    /// Walks the pickle that starts at the stream's position. Returns null (and leaves the position anywhere) when the
    /// bytes are not a well-formed pickle; the pickle scanner reports why.
    /// </summary>
    public static PickleWalk? Walk(Stream stream)
    {
        var walker = new PickleWalker(stream);
        var start = stream.Position;
        try
        {
            var result = walker.Run();
            return result is null ? null : new PickleWalk(start, stream.Position - start, result);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or OverflowException
                                       or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private WalkValue? Run()
    {
        for (var count = 0; count < MaxOpcodes; count++)
        {
            var opcode = stream.ReadByte();
            if (opcode < 0)
            {
                return null;
            }

            if (opcode == '.')
            {
                return stack.Count > 0 ? stack[^1] : WalkValue.Opaque;
            }

            Step((byte)opcode);
        }

        return null;
    }

    private void Step(byte opcode)
    {
        switch (opcode)
        {
            case 0x80: ReadBytes(1); break;                                                  // PROTO
            case 0x95: ReadBytes(8); break;                                                  // FRAME
            case (byte)'(': marks.Add(stack.Count); break;                                   // MARK
            case (byte)'0': Pop(); break;                                                    // POP
            case (byte)'1': PopMark(); break;                                                // POP_MARK
            case (byte)'2': Push(Peek()); break;                                             // DUP
            case (byte)'N': Push(new WalkValue(WalkValueKind.None)); break;
            case 0x88 or 0x89: Push(new WalkValue(WalkValueKind.Bool) { Integer = opcode == 0x88 ? 1 : 0 }); break;
            case (byte)'I' or (byte)'L': PushLineInteger(ReadLine()); break;                 // INT, LONG
            case (byte)'J': Push(Int(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))); break;
            case (byte)'K': Push(Int(ReadBytes(1)[0])); break;
            case (byte)'M': Push(Int(BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)))); break;
            case 0x8A: Push(LongBytes(ReadBytes(ReadBytes(1)[0]))); break;                   // LONG1
            case 0x8B: Push(LongBytes(ReadBytes(ReadLength(4)))); break;                     // LONG4
            case (byte)'F': ReadLine(); Push(WalkValue.Opaque); break;                     // FLOAT
            case (byte)'G': ReadBytes(8); Push(WalkValue.Opaque); break;                   // BINFLOAT
            case (byte)'S': Push(Str(Unquote(ReadLine()))); break;                           // STRING
            case (byte)'V': Push(Str(ReadLine())); break;                                    // UNICODE
            case (byte)'T' or (byte)'X': Push(Str(ReadText(ReadLength(4)))); break;          // BINSTRING, BINUNICODE
            case (byte)'U' or 0x8C: Push(Str(ReadText(ReadBytes(1)[0]))); break;             // SHORT_BINSTRING, SHORT_BINUNICODE
            case 0x8D: Push(Str(ReadText(ReadLength(8)))); break;                            // BINUNICODE8
            case (byte)'B': SkipPayload(ReadLength(4)); Push(WalkValue.Opaque); break;                              // BINBYTES
            case (byte)'C': SkipPayload(ReadBytes(1)[0]); Push(WalkValue.Opaque); break;                            // SHORT_BINBYTES
            case 0x8E or 0x96: SkipPayload(ReadLength(8)); Push(WalkValue.Opaque); break;                           // BINBYTES8, BYTEARRAY8
            case (byte)')': Push(Sequence(WalkValueKind.Tuple, [])); break;
            case (byte)']': Push(Sequence(WalkValueKind.List, [])); break;
            case (byte)'}': Push(Sequence(WalkValueKind.Dict, [])); break;
            case 0x8F: Push(WalkValue.Opaque); break;                                      // EMPTY_SET
            case (byte)'t': Push(Sequence(WalkValueKind.Tuple, PopMark())); break;
            case (byte)'l': Push(Sequence(WalkValueKind.List, PopMark())); break;
            case (byte)'d': Push(Sequence(WalkValueKind.Dict, PopMark())); break;
            case 0x91: PopMark(); Push(WalkValue.Opaque); break;                           // FROZENSET
            case 0x85: Push(Sequence(WalkValueKind.Tuple, PopN(1))); break;
            case 0x86: Push(Sequence(WalkValueKind.Tuple, PopN(2))); break;
            case 0x87: Push(Sequence(WalkValueKind.Tuple, PopN(3))); break;
            case (byte)'a': AddTo(Peek(1), PopN(1)); break;                                  // APPEND
            case (byte)'e': { var items = PopMark(); AddTo(Peek(), items); break; }          // APPENDS
            case (byte)'s': { var pair = PopN(2); AddTo(Peek(), pair); break; }              // SETITEM
            case (byte)'u': { var items = PopMark(); AddTo(Peek(), items); break; }          // SETITEMS
            case 0x90: PopMark(); break;                                                     // ADDITEMS
            default: StepObjects(opcode); break;
        }
    }

    private void StepObjects(byte opcode)
    {
        switch (opcode)
        {
            case (byte)'c': Push(Global(ReadLine(), ReadLine())); break;                     // GLOBAL
            case 0x93: { var name = Pop(); var module = Pop(); Push(Global(module.Text ?? "?", name.Text ?? "?")); break; }
            // What a call builds is not evaluated: only the stack keeps its shape.
            case (byte)'R' or 0x81: PopN(2); Push(Called); break;                            // REDUCE, NEWOBJ
            case 0x92: PopN(3); Push(Called); break;                                         // NEWOBJ_EX
            case (byte)'i': PopMark(); ReadLine(); ReadLine(); Push(Called); break;          // INST
            case (byte)'o': PopMark(); Push(Called); break;                                  // OBJ
            case (byte)'b': Pop(); Peek(); break;                                            // BUILD
            case (byte)'P': ReadLine(); Push(WalkValue.Opaque); break;                     // PERSID
            case (byte)'Q': Pop(); Push(WalkValue.Opaque); break;                          // BINPERSID
            case 0x82: ReadBytes(1); Push(WalkValue.Opaque); break;                        // EXT1
            case 0x83: ReadBytes(2); Push(WalkValue.Opaque); break;                        // EXT2
            case 0x84: ReadBytes(4); Push(WalkValue.Opaque); break;                        // EXT4
            case (byte)'p': memo[ParseLong(ReadLine())] = Peek(); break;                     // PUT
            case (byte)'q': memo[ReadBytes(1)[0]] = Peek(); break;                           // BINPUT
            case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break;
            case 0x94: memo[memo.Count] = Peek(); break;                                     // MEMOIZE
            case (byte)'g': Push(FromMemo(ParseLong(ReadLine()))); break;                    // GET
            case (byte)'h': Push(FromMemo(ReadBytes(1)[0])); break;                          // BINGET
            case (byte)'j': Push(FromMemo(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break;
            case 0x97: Push(WalkValue.Opaque); break;                                      // NEXT_BUFFER
            case 0x98: break;                                                                // READONLY_BUFFER
            default: throw new InvalidDataException($"opcode 0x{opcode:x2} is not a pickle opcode");
        }
    }

    private static WalkValue Called => new(WalkValueKind.Call);

    private static WalkValue Int(long value) => new(WalkValueKind.Integer) { Integer = value };

    private static WalkValue Str(string text) => new(WalkValueKind.String) { Text = text };

    private static WalkValue Sequence(WalkValueKind kind, List<WalkValue> items) => new(kind) { Items = items };

    private static WalkValue Global(string module, string name) => new(WalkValueKind.Global) { Text = module + "." + name };

    private static WalkValue LongBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length <= 8 ? Int(bytes.IsEmpty ? 0 : (long)new System.Numerics.BigInteger(bytes, isUnsigned: false)) : WalkValue.Opaque;

    private void PushLineInteger(string line)
    {
        var text = line.TrimEnd('L');
        Push(text switch
        {
            "00" => new WalkValue(WalkValueKind.Bool) { Integer = 0 },
            "01" => new WalkValue(WalkValueKind.Bool) { Integer = 1 },
            _ => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? Int(v) : WalkValue.Opaque,
        });
    }

    private static long ParseLong(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static string Unquote(string text) =>
        text.Length >= 2 && (text[0] == '\'' || text[0] == '"') && text[^1] == text[0] ? text[1..^1] : text;

    private WalkValue FromMemo(long key) => memo.TryGetValue(key, out var value) ? value : WalkValue.Opaque;

    private static void AddTo(WalkValue target, List<WalkValue> items)
    {
        if (target.Items is not null && target.Kind is WalkValueKind.List or WalkValueKind.Dict)
        {
            target.Items.AddRange(items);
        }
    }
}
