using System.Buffers.Binary;
using PickleGuard.Pickle.Opcodes;

namespace PickleGuard.Pickle.Reading;

/// <summary>
/// Decodes opcodes from a <see cref="Stream"/> through its own buffer, the way CPython's C unpickler reads them.
/// Large payloads are skipped (only a prefix is kept), and a declared length larger than what is left in a
/// seekable stream is reported as truncation without allocating. Never throws on input.
/// </summary>
public sealed partial class PickleInstructionReader
{
    private const int BufferSize = 1 << 16;

    /// <summary>Inputs up to this size get a buffer and a string table sized to them (discovery probes hundreds of file heads).</summary>
    private const int SmallInput = 4096;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly int _maxRetainedBytes;
    private readonly int _maxLineBytes;
    private readonly long _maxTotalBytes;
    private readonly long _streamStart;
    private readonly long _streamLength;
    private readonly ShortStringCache _strings;
    private int _pos;
    private int _len;
    private long _bufferStart;
    private bool _endOfStream;

    public PickleInstructionReader(Stream stream, int maxRetainedBytes, int maxLineBytes, long maxTotalBytes)
    {
        _stream = stream;
        _maxRetainedBytes = maxRetainedBytes;
        _maxLineBytes = maxLineBytes;
        _maxTotalBytes = maxTotalBytes;
        _streamLength = -1;
        try
        {
            if (stream.CanSeek)
            {
                _streamStart = stream.Position;
                _streamLength = stream.Length - _streamStart;
            }
        }
        catch (NotSupportedException)
        {
            _streamLength = -1;
        }
        var small = _streamLength is >= 0 and <= SmallInput;
        _buffer = new byte[small ? Math.Max((int)_streamLength, 16) : BufferSize];
        _strings = new ShortStringCache(small ? 6 : ShortStringCache.DefaultSlotBits);
    }

    /// <summary>Offset of the next unread byte, relative to where the stream was when the reader was made.</summary>
    public long Position => _bufferStart + _pos;

    /// <summary>Bytes left in the stream when it is seekable, otherwise -1.</summary>
    public long Remaining => _streamLength < 0 ? -1 : _streamLength - Position;

    /// <summary>A message describing the last non-Ok status.</summary>
    public string Error { get; private set; } = "";

    /// <summary>True when at least one more byte can be read.</summary>
    public bool HasMore()
    {
        if (_pos < _len)
        {
            return true;
        }

        return Fill();
    }

    /// <summary>Looks at the next byte without consuming it; -1 at the end.</summary>
    public int Peek() => HasMore() ? _buffer[_pos] : -1;

    /// <summary>Decodes the next opcode into <paramref name="instruction"/>.</summary>
    public ReadStatus Next(ref PickleInstruction instruction)
    {
        if (_pos >= _len && !Fill())
        {
            instruction.Reset(PickleOpcode.Stop, Position);
            return ReadStatus.EndOfInput;
        }

        long offset = Position;
        if (offset >= _maxTotalBytes)
        {
            Error = $"the scan stopped after the configured maximum of {_maxTotalBytes} bytes";
            return ReadStatus.LimitExceeded;
        }

        byte code = _buffer[_pos++];
        var kind = OpcodeTable.ArgumentKinds[code];
        instruction.Reset((PickleOpcode)code, offset);
        if (kind == ArgumentKind.None)
        {
            return ReadStatus.Ok;
        }

        if (kind == OpcodeTable.Undefined)
        {
            Error = $"invalid load key, '\\x{code:x2}' (no pickle protocol defines this opcode)";
            return ReadStatus.UnknownOpcode;
        }

        if (_len - _pos >= 9 && TryReadFixedFromBuffer(kind, ref instruction))
        {
            return ReadStatus.Ok;
        }

        return ReadArgument(kind, ref instruction);
    }

    /// <summary>Hot path: fixed-width arguments and short payloads decoded straight from the buffer.</summary>
    private bool TryReadFixedFromBuffer(ArgumentKind kind, ref PickleInstruction ins)
    {
        var span = _buffer.AsSpan(_pos);
        switch (kind)
        {
            case ArgumentKind.UInt1:
                ins.Integer = span[0];
                _pos += 1;
                return true;
            case ArgumentKind.UInt2:
                ins.Integer = BinaryPrimitives.ReadUInt16LittleEndian(span);
                _pos += 2;
                return true;
            case ArgumentKind.Int4:
                ins.Integer = BinaryPrimitives.ReadInt32LittleEndian(span);
                _pos += 4;
                return true;
            case ArgumentKind.UInt4:
                ins.Integer = BinaryPrimitives.ReadUInt32LittleEndian(span);
                _pos += 4;
                return true;
            case ArgumentKind.Float8:
                ins.Float = BinaryPrimitives.ReadDoubleBigEndian(span);
                _pos += 8;
                return true;
            case ArgumentKind.Bytes1:
            {
                int length = span[0];
                if (length > _len - _pos - 1)
                {
                    return false;
                }

                ins.DeclaredLength = length;
                StorePayload(span.Slice(1, length), ref ins);
                _pos += 1 + length;
                return true;
            }

            default:
                return false;
        }
    }

    private ReadStatus ReadArgument(ArgumentKind kind, ref PickleInstruction ins)
    {
        Span<byte> fixedBytes = stackalloc byte[8];
        switch (kind)
        {
            case ArgumentKind.UInt1:
                if (!ReadExact(fixedBytes[..1])) return Truncated(ins);
                ins.Integer = fixedBytes[0];
                return ReadStatus.Ok;
            case ArgumentKind.UInt2:
                if (!ReadExact(fixedBytes[..2])) return Truncated(ins);
                ins.Integer = BinaryPrimitives.ReadUInt16LittleEndian(fixedBytes);
                return ReadStatus.Ok;
            case ArgumentKind.Int4:
                if (!ReadExact(fixedBytes[..4])) return Truncated(ins);
                ins.Integer = BinaryPrimitives.ReadInt32LittleEndian(fixedBytes);
                return ReadStatus.Ok;
            case ArgumentKind.UInt4:
                if (!ReadExact(fixedBytes[..4])) return Truncated(ins);
                ins.Integer = BinaryPrimitives.ReadUInt32LittleEndian(fixedBytes);
                return ReadStatus.Ok;
            case ArgumentKind.UInt8:
                if (!ReadExact(fixedBytes[..8])) return Truncated(ins);
                ulong frame = BinaryPrimitives.ReadUInt64LittleEndian(fixedBytes);
                if (frame > long.MaxValue)
                {
                    return Bad($"{Name(ins)} length {frame} exceeds the maximum size");
                }

                ins.Integer = (long)frame;
                return ReadStatus.Ok;
            case ArgumentKind.Float8:
                if (!ReadExact(fixedBytes[..8])) return Truncated(ins);
                ins.Float = BinaryPrimitives.ReadDoubleBigEndian(fixedBytes);
                return ReadStatus.Ok;
            case ArgumentKind.Bytes1:
                if (!ReadExact(fixedBytes[..1])) return Truncated(ins);
                return ReadPayload(fixedBytes[0], ref ins);
            case ArgumentKind.Bytes4Signed:
            {
                if (!ReadExact(fixedBytes[..4])) return Truncated(ins);
                int length = BinaryPrimitives.ReadInt32LittleEndian(fixedBytes);
                return length < 0 ? Bad($"{Name(ins)} pickle has negative byte count") : ReadPayload(length, ref ins);
            }
            case ArgumentKind.Bytes4:
                if (!ReadExact(fixedBytes[..4])) return Truncated(ins);
                return ReadPayload(BinaryPrimitives.ReadUInt32LittleEndian(fixedBytes), ref ins);
            case ArgumentKind.Bytes8:
            {
                if (!ReadExact(fixedBytes[..8])) return Truncated(ins);
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(fixedBytes);
                return length > long.MaxValue ? Bad($"{Name(ins)} exceeds system's maximum size") : ReadPayload((long)length, ref ins);
            }
            case ArgumentKind.Long1:
                if (!ReadExact(fixedBytes[..1])) return Truncated(ins);
                return ReadBinaryLong(fixedBytes[0], ref ins);
            case ArgumentKind.Long4:
            {
                if (!ReadExact(fixedBytes[..4])) return Truncated(ins);
                int length = BinaryPrimitives.ReadInt32LittleEndian(fixedBytes);
                return length < 0 ? Bad("LONG pickle has negative byte count") : ReadBinaryLong(length, ref ins);
            }
            default:
                return ReadTextArgument(kind, ref ins);
        }
    }

    /// <summary>Consumes a length-prefixed payload, keeping at most the retention limit.</summary>
    private ReadStatus ReadPayload(long length, ref PickleInstruction ins)
    {
        ins.DeclaredLength = length;
        long remaining = Remaining;
        if (remaining >= 0 && length > remaining)
        {
            SkipToEnd();
            Error = $"{Name(ins)} declares {length} bytes but only {remaining} remain";
            return ReadStatus.Truncated;
        }

        if (length <= _len - _pos && length <= _maxRetainedBytes)
        {
            // Fast path: the whole payload is in the buffer; text is decoded in place without a copy.
            var span = _buffer.AsSpan(_pos, (int)length);
            _pos += (int)length;
            StorePayload(span, ref ins);
            return ReadStatus.Ok;
        }

        int keep = (int)Math.Min(length, _maxRetainedBytes);
        var data = keep == 0 ? [] : new byte[keep];
        if (!ReadExact(data))
        {
            return Truncated(ins);
        }

        if (length > keep)
        {
            ins.IsPayloadTruncated = true;
            if (!Skip(length - keep))
            {
                return Truncated(ins);
            }
        }

        StorePayload(data, ref ins, data);
        return ReadStatus.Ok;
    }

    private void StorePayload(ReadOnlySpan<byte> data, ref PickleInstruction ins, byte[]? owned = null)
    {
        switch (ins.Opcode)
        {
            case PickleOpcode.ShortBinUnicode or PickleOpcode.BinUnicode or PickleOpcode.BinUnicode8:
                ins.Text = DecodeUnicode(data);
                break;
            case PickleOpcode.ShortBinString or PickleOpcode.BinString:
                ins.Text = TextDecoding.DecodeLatin1(data);
                break;
            default:
                ins.Data = owned ?? data.ToArray();
                break;
        }
    }

    private ReadStatus ReadBinaryLong(long length, ref PickleInstruction ins)
    {
        ins.DeclaredLength = length;
        long remaining = Remaining;
        if (remaining >= 0 && length > remaining)
        {
            SkipToEnd();
            Error = $"{Name(ins)} declares {length} bytes but only {remaining} remain";
            return ReadStatus.Truncated;
        }

        if (length > _maxRetainedBytes)
        {
            // An integer this large is only ever a resource-exhaustion attempt; keep nothing.
            ins.IsBigInteger = true;
            ins.IsPayloadTruncated = true;
            ins.Text = $"<{length}-byte integer>";
            return Skip(length) ? ReadStatus.Ok : Truncated(ins);
        }

        var data = new byte[length];
        if (!ReadExact(data))
        {
            return Truncated(ins);
        }

        NumberParsing.DecodeTwosComplement(data, ref ins);
        return ReadStatus.Ok;
    }

    private static string Name(in PickleInstruction ins) => OpcodeTable.Find((byte)ins.Opcode)?.Name ?? "opcode";

    private ReadStatus Truncated(in PickleInstruction ins)
    {
        Error = $"pickle data was truncated inside the argument of {Name(ins)} at offset {ins.Offset}";
        return ReadStatus.Truncated;
    }

    private ReadStatus Bad(string message)
    {
        Error = message;
        return ReadStatus.BadArgument;
    }
}
