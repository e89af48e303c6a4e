namespace PickleGuard.Pickle.Opcodes;

/// <summary>The opcode table of protocols 0–5, indexed by byte value (CPython <c>Lib/pickletools.py</c> is the reference).</summary>
public static class OpcodeTable
{
    private static readonly OpcodeInfo?[] ByByte = Build();

    /// <summary>Argument kind per byte value, <see cref="Undefined"/> for bytes that are not opcodes (hot-path lookup).</summary>
    internal static readonly ArgumentKind[] ArgumentKinds = BuildKinds();

    internal const ArgumentKind Undefined = (ArgumentKind)255;

    /// <summary>The opcode with this byte value, or null when no protocol defines it.</summary>
    public static OpcodeInfo? Find(byte value) => ByByte[value];

    public static bool IsDefined(byte value) => ByByte[value] is not null;

    public static IEnumerable<OpcodeInfo> All => ByByte.Where(info => info is not null).Select(info => info!.Value);

    private static ArgumentKind[] BuildKinds()
    {
        var kinds = new ArgumentKind[256];
        for (int i = 0; i < 256; i++)
        {
            kinds[i] = ByByte[i]?.Argument ?? Undefined;
        }

        return kinds;
    }

    private static OpcodeInfo?[] Build()
    {
        var table = new OpcodeInfo?[256];
        void Add(PickleOpcode op, string name, ArgumentKind arg, int proto) => table[(byte)op] = new OpcodeInfo(op, name, arg, proto);

        Add(PickleOpcode.Mark, "MARK", ArgumentKind.None, 0);
        Add(PickleOpcode.Stop, "STOP", ArgumentKind.None, 0);
        Add(PickleOpcode.Pop, "POP", ArgumentKind.None, 0);
        Add(PickleOpcode.PopMark, "POP_MARK", ArgumentKind.None, 1);
        Add(PickleOpcode.Dup, "DUP", ArgumentKind.None, 0);
        Add(PickleOpcode.Float, "FLOAT", ArgumentKind.FloatLine, 0);
        Add(PickleOpcode.Int, "INT", ArgumentKind.DecimalLineShort, 0);
        Add(PickleOpcode.BinInt, "BININT", ArgumentKind.Int4, 1);
        Add(PickleOpcode.BinInt1, "BININT1", ArgumentKind.UInt1, 1);
        Add(PickleOpcode.Long, "LONG", ArgumentKind.DecimalLineLong, 0);
        Add(PickleOpcode.BinInt2, "BININT2", ArgumentKind.UInt2, 1);
        Add(PickleOpcode.None, "NONE", ArgumentKind.None, 0);
        Add(PickleOpcode.PersId, "PERSID", ArgumentKind.RawLine, 0);
        Add(PickleOpcode.BinPersId, "BINPERSID", ArgumentKind.None, 1);
        Add(PickleOpcode.Reduce, "REDUCE", ArgumentKind.None, 0);
        Add(PickleOpcode.String, "STRING", ArgumentKind.QuotedStringLine, 0);
        Add(PickleOpcode.BinString, "BINSTRING", ArgumentKind.Bytes4Signed, 1);
        Add(PickleOpcode.ShortBinString, "SHORT_BINSTRING", ArgumentKind.Bytes1, 1);
        Add(PickleOpcode.Unicode, "UNICODE", ArgumentKind.UnicodeLine, 0);
        Add(PickleOpcode.BinUnicode, "BINUNICODE", ArgumentKind.Bytes4, 1);
        Add(PickleOpcode.Append, "APPEND", ArgumentKind.None, 0);
        Add(PickleOpcode.Build, "BUILD", ArgumentKind.None, 0);
        Add(PickleOpcode.Global, "GLOBAL", ArgumentKind.TwoRawLines, 0);
        Add(PickleOpcode.Dict, "DICT", ArgumentKind.None, 0);
        Add(PickleOpcode.EmptyDict, "EMPTY_DICT", ArgumentKind.None, 1);
        Add(PickleOpcode.Appends, "APPENDS", ArgumentKind.None, 1);
        Add(PickleOpcode.Get, "GET", ArgumentKind.MemoIndexLine, 0);
        Add(PickleOpcode.BinGet, "BINGET", ArgumentKind.UInt1, 1);
        Add(PickleOpcode.Inst, "INST", ArgumentKind.TwoRawLines, 0);
        Add(PickleOpcode.LongBinGet, "LONG_BINGET", ArgumentKind.UInt4, 1);
        Add(PickleOpcode.List, "LIST", ArgumentKind.None, 0);
        Add(PickleOpcode.EmptyList, "EMPTY_LIST", ArgumentKind.None, 1);
        Add(PickleOpcode.Obj, "OBJ", ArgumentKind.None, 1);
        Add(PickleOpcode.Put, "PUT", ArgumentKind.MemoIndexLine, 0);
        Add(PickleOpcode.BinPut, "BINPUT", ArgumentKind.UInt1, 1);
        Add(PickleOpcode.LongBinPut, "LONG_BINPUT", ArgumentKind.UInt4, 1);
        Add(PickleOpcode.SetItem, "SETITEM", ArgumentKind.None, 0);
        Add(PickleOpcode.Tuple, "TUPLE", ArgumentKind.None, 0);
        Add(PickleOpcode.EmptyTuple, "EMPTY_TUPLE", ArgumentKind.None, 1);
        Add(PickleOpcode.SetItems, "SETITEMS", ArgumentKind.None, 1);
        Add(PickleOpcode.BinFloat, "BINFLOAT", ArgumentKind.Float8, 1);
        Add(PickleOpcode.Proto, "PROTO", ArgumentKind.UInt1, 2);
        Add(PickleOpcode.NewObj, "NEWOBJ", ArgumentKind.None, 2);
        Add(PickleOpcode.Ext1, "EXT1", ArgumentKind.UInt1, 2);
        Add(PickleOpcode.Ext2, "EXT2", ArgumentKind.UInt2, 2);
        Add(PickleOpcode.Ext4, "EXT4", ArgumentKind.Int4, 2);
        Add(PickleOpcode.Tuple1, "TUPLE1", ArgumentKind.None, 2);
        Add(PickleOpcode.Tuple2, "TUPLE2", ArgumentKind.None, 2);
        Add(PickleOpcode.Tuple3, "TUPLE3", ArgumentKind.None, 2);
        Add(PickleOpcode.NewTrue, "NEWTRUE", ArgumentKind.None, 2);
        Add(PickleOpcode.NewFalse, "NEWFALSE", ArgumentKind.None, 2);
        Add(PickleOpcode.Long1, "LONG1", ArgumentKind.Long1, 2);
        Add(PickleOpcode.Long4, "LONG4", ArgumentKind.Long4, 2);
        Add(PickleOpcode.BinBytes, "BINBYTES", ArgumentKind.Bytes4, 3);
        Add(PickleOpcode.ShortBinBytes, "SHORT_BINBYTES", ArgumentKind.Bytes1, 3);
        Add(PickleOpcode.ShortBinUnicode, "SHORT_BINUNICODE", ArgumentKind.Bytes1, 4);
        Add(PickleOpcode.BinUnicode8, "BINUNICODE8", ArgumentKind.Bytes8, 4);
        Add(PickleOpcode.BinBytes8, "BINBYTES8", ArgumentKind.Bytes8, 4);
        Add(PickleOpcode.EmptySet, "EMPTY_SET", ArgumentKind.None, 4);
        Add(PickleOpcode.AddItems, "ADDITEMS", ArgumentKind.None, 4);
        Add(PickleOpcode.FrozenSet, "FROZENSET", ArgumentKind.None, 4);
        Add(PickleOpcode.NewObjEx, "NEWOBJ_EX", ArgumentKind.None, 4);
        Add(PickleOpcode.StackGlobal, "STACK_GLOBAL", ArgumentKind.None, 4);
        Add(PickleOpcode.Memoize, "MEMOIZE", ArgumentKind.None, 4);
        Add(PickleOpcode.Frame, "FRAME", ArgumentKind.UInt8, 4);
        Add(PickleOpcode.ByteArray8, "BYTEARRAY8", ArgumentKind.Bytes8, 5);
        Add(PickleOpcode.NextBuffer, "NEXT_BUFFER", ArgumentKind.None, 5);
        Add(PickleOpcode.ReadOnlyBuffer, "READONLY_BUFFER", ArgumentKind.None, 5);
        return table;
    }
}
