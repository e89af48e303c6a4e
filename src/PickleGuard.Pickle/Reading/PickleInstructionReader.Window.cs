namespace PickleGuard.Pickle.Reading;

/// <summary>
/// Direct access to the buffered bytes for a caller that decodes the simplest fixed-size opcodes in place (the machine's
/// hot loop). It never refills: when an opcode does not fit in the window, the caller falls back to <see cref="Next"/>.
/// </summary>
public sealed partial class PickleInstructionReader
{
    /// <summary>
    /// The unread bytes of the buffer that lie before <paramref name="endBefore"/> (an absolute offset) and before the
    /// byte limit; <paramref name="windowStart"/> is the absolute offset of the window's first byte.
    /// </summary>
    internal ReadOnlySpan<byte> UnreadWindow(long endBefore, out long windowStart)
    {
        windowStart = _bufferStart + _pos;
        long end = Math.Min(Math.Min(endBefore, _maxTotalBytes), _bufferStart + _len);
        return end <= windowStart ? default : _buffer.AsSpan(_pos, (int)(end - windowStart));
    }

    /// <summary>Consumes bytes of the window returned by <see cref="UnreadWindow"/>.</summary>
    internal void Consume(int count) => _pos += count;

    /// <summary>The str of a BINUNICODE payload, decoded as <see cref="Next"/> decodes it.</summary>
    internal string DecodeUnicode(ReadOnlySpan<byte> payload) =>
        _strings.GetOrDecode(payload) ?? TextDecoding.DecodeUtf8SurrogatePass(payload);
}
