using System.Buffers.Binary;
using System.Text;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Writes a large, opcode-dense, benign protocol-4 pickle the way CPython's pickler lays out a big list of small
/// records: FRAMEs of 64 KiB, batches of 1000 items per APPENDS, floats, ints, short memoized strings, small tuples
/// and dicts. Generated in-process (no Python).
/// </summary>
public static class PickleBenchCorpus
{
    private const int FrameSize = 64 * 1024;

    public static void Write(Stream output, long targetBytes)
    {
        var frame = new MemoryStream(FrameSize + 1024);
        output.Write([0x80, 4]);
        WriteFramed(output, frame, [0x5d, 0x94]); // EMPTY_LIST, MEMOIZE
        long written = 2;
        int memo = 1;
        long item = 0;
        while (written < targetBytes)
        {
            frame.SetLength(0);
            while (frame.Length < FrameSize)
            {
                frame.WriteByte((byte)'(');
                for (int i = 0; i < 1000; i++, item++)
                {
                    WriteItem(frame, item, ref memo);
                }

                frame.WriteByte((byte)'e');
            }

            written += FlushFrame(output, frame);
        }

        output.Write([0x95, 1, 0, 0, 0, 0, 0, 0, 0, (byte)'.']);
    }

    private static void WriteItem(MemoryStream s, long i, ref int memo)
    {
        Span<byte> buf = stackalloc byte[9];
        switch (i % 6)
        {
            case 0: // BINFLOAT
                buf[0] = (byte)'G';
                BinaryPrimitives.WriteDoubleBigEndian(buf[1..], i * 0.25);
                s.Write(buf);
                break;
            case 1: // BININT
                buf[0] = (byte)'J';
                BinaryPrimitives.WriteInt32LittleEndian(buf[1..], (int)i);
                s.Write(buf[..5]);
                break;
            case 2: // SHORT_BINUNICODE + MEMOIZE
                var text = Encoding.ASCII.GetBytes("k" + (i % 997));
                s.WriteByte(0x8c);
                s.WriteByte((byte)text.Length);
                s.Write(text);
                s.WriteByte(0x94);
                memo++;
                break;
            case 3: // (BININT1, BININT1) TUPLE2 MEMOIZE
                s.Write([(byte)'K', (byte)(i & 0x7f), (byte)'K', 7, 0x86, 0x94]);
                memo++;
                break;
            case 4: // {'a': 1.5} as EMPTY_DICT MEMOIZE BINGET key BINFLOAT SETITEM
                s.Write([(byte)'}', 0x94, (byte)'h', 1]);
                buf[0] = (byte)'G';
                BinaryPrimitives.WriteDoubleBigEndian(buf[1..], 1.5);
                s.Write(buf);
                s.WriteByte((byte)'s');
                memo++;
                break;
            default: // NONE / NEWTRUE
                s.WriteByte((i & 1) == 0 ? (byte)'N' : (byte)0x88);
                break;
        }
    }

    private static void WriteFramed(Stream output, MemoryStream frame, byte[] body)
    {
        frame.SetLength(0);
        frame.Write(body);
        FlushFrame(output, frame);
    }

    private static long FlushFrame(Stream output, MemoryStream frame)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = 0x95;
        BinaryPrimitives.WriteInt64LittleEndian(header[1..], frame.Length);
        output.Write(header);
        output.Write(frame.GetBuffer(), 0, (int)frame.Length);
        return 9 + frame.Length;
    }
}
