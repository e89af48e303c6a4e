using System.Buffers.Binary;
using System.Text;

namespace PickleGuard.Pickle.Tests;

/// <summary>A tiny pickle assembler for tests: each method returns the bytes of one opcode.</summary>
internal static class Asm
{
    public static byte[] Seq(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Proto(int n) => [0x80, (byte)n];
    public static byte[] Frame(long n) { var b = new byte[9]; b[0] = 0x95; BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(1), n); return b; }
    public static byte[] Global(string module, string name) => Ascii($"c{module}\n{name}\n");
    public static byte[] Inst(string module, string name) => Ascii($"i{module}\n{name}\n");
    public static byte[] String(string s) => Ascii($"S'{s}'\n");
    public static byte[] Unicode(string s) => Ascii($"V{s}\n");
    public static byte[] Sbu(string s) { var b = Encoding.UTF8.GetBytes(s); return [0x8c, (byte)b.Length, .. b]; }
    public static byte[] BinUnicode(string s) { var b = Encoding.UTF8.GetBytes(s); var h = new byte[5]; h[0] = (byte)'X'; BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(1), b.Length); return [.. h, .. b]; }
    public static byte[] ShortBinBytes(byte[] b) => [(byte)'C', (byte)b.Length, .. b];
    public static byte[] BinBytes(byte[] b) { var h = new byte[5]; h[0] = (byte)'B'; BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(1), b.Length); return [.. h, .. b]; }
    public static byte[] BinInt1(int n) => [(byte)'K', (byte)n];
    public static byte[] BinInt2(int n) => [(byte)'M', (byte)n, (byte)(n >> 8)];
    public static byte[] Put(int n) => Ascii($"p{n}\n");
    public static byte[] Get(int n) => Ascii($"g{n}\n");
    public static byte[] BinPut(int n) => [(byte)'q', (byte)n];
    public static byte[] BinGet(int n) => [(byte)'h', (byte)n];
    public static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    public static readonly byte[] Mark = [(byte)'('];
    public static readonly byte[] Stop = [(byte)'.'];
    public static readonly byte[] Pop = [(byte)'0'];
    public static readonly byte[] PopMark = [(byte)'1'];
    public static readonly byte[] Dup = [(byte)'2'];
    public static readonly byte[] None = [(byte)'N'];
    public static readonly byte[] NewTrue = [0x88];
    public static readonly byte[] MarkTuple = [(byte)'t'];
    public static readonly byte[] Tuple1 = [0x85];
    public static readonly byte[] Tuple2 = [0x86];
    public static readonly byte[] Tuple3 = [0x87];
    public static readonly byte[] EmptyTuple = [(byte)')'];
    public static readonly byte[] EmptyDict = [(byte)'}'];
    public static readonly byte[] EmptyList = [(byte)']'];
    public static readonly byte[] List = [(byte)'l'];
    public static readonly byte[] Appends = [(byte)'e'];
    public static readonly byte[] SetItem = [(byte)'s'];
    public static readonly byte[] Reduce = [(byte)'R'];
    public static readonly byte[] Build = [(byte)'b'];
    public static readonly byte[] Obj = [(byte)'o'];
    public static readonly byte[] NewObj = [0x81];
    public static readonly byte[] StackGlobal = [0x93];
    public static readonly byte[] Memoize = [0x94];

    /// <summary>Protocol 4: <c>module.name(*args)</c> through STACK_GLOBAL with MEMOIZE after each push, as picklers write it.</summary>
    public static byte[] Call4(string module, string name, params string[] args) => Seq(
        Proto(4), Sbu(module), Memoize, Sbu(name), Memoize, StackGlobal, Memoize, Mark, Seq(args.Select(a => Seq(Sbu(a), Memoize)).ToArray()), MarkTuple, Reduce, Memoize, Stop);
}
