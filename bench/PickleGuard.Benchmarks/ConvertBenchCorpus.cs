using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Writes a protocol 4 pickle of <c>[{"id": i, "name": "row i", "score": i / 7, "tags": ["a", "b"]}, ...]</c> the way
/// CPython's pickler lays it out (every str memoized, repeated keys fetched with LONG_BINGET, APPENDS batches of 1000).
/// </summary>
internal sealed class ConvertBenchCorpus(Stream output)
{
    private const int Batch = 1000;

    private readonly BufferedStream _buffer = new(output, 1 << 20);
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private long _memo;

    public long BytesWritten { get; private set; }

    /// <summary>Writes records until the pickle is at least <paramref name="targetBytes"/> long; returns how many.</summary>
    public long Write(long targetBytes)
    {
        Put([0x80, 4, (byte)']', 0x94]);
        _memo = 1;
        long records = 0;
        Span<byte> number = stackalloc byte[5];
        Span<byte> real = stackalloc byte[9];
        while (BytesWritten < targetBytes)
        {
            Put([(byte)'(']);
            for (int i = 0; i < Batch; i++, records++)
            {
                Put([(byte)'}', 0x94, (byte)'(']);
                _memo++;
                Key("id");
                number[0] = (byte)'J';
                BinaryPrimitives.WriteInt32LittleEndian(number[1..], (int)records);
                Put(number);
                Key("name");
                Str("row " + records.ToString(CultureInfo.InvariantCulture));
                Key("score");
                real[0] = (byte)'G';
                BinaryPrimitives.WriteDoubleBigEndian(real[1..], records / 7.0);
                Put(real);
                Key("tags");
                Put([(byte)']', 0x94, (byte)'(']);
                _memo++;
                Key("a");
                Key("b");
                Put([(byte)'e', (byte)'u']);
            }

            Put([(byte)'e']);
        }

        Put([(byte)'.']);
        _buffer.Flush();
        return records;
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        BytesWritten += bytes.Length;
    }

    private void Key(string key)
    {
        if (_keys.TryGetValue(key, out long index))
        {
            Span<byte> get = [(byte)'j', 0, 0, 0, 0];
            BinaryPrimitives.WriteUInt32LittleEndian(get[1..], (uint)index);
            Put(get);
            return;
        }

        _keys[key] = _memo;
        Str(key);
    }

    private void Str(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Put([0x8c, (byte)bytes.Length, .. bytes, 0x94]);
        _memo++;
    }
}
