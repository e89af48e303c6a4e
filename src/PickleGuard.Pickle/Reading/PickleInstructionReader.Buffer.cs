namespace PickleGuard.Pickle.Reading;

/// <summary>Buffer management: refill, exact reads, skips and line reads.</summary>
public sealed partial class PickleInstructionReader
{
    private byte[] _lineBuffer = new byte[256];

    private bool Fill()
    {
        if (_endOfStream)
        {
            return false;
        }

        _bufferStart += _len;
        _pos = 0;
        _len = 0;
        int read;
        try
        {
            read = _stream.Read(_buffer, 0, _buffer.Length);
        }
        catch (IOException)
        {
            read = 0;
        }

        if (read <= 0)
        {
            _endOfStream = true;
            return false;
        }

        _len = read;
        return true;
    }

    private bool ReadExact(Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            if (_pos >= _len && !Fill())
            {
                return false;
            }

            int n = Math.Min(_len - _pos, destination.Length - done);
            _buffer.AsSpan(_pos, n).CopyTo(destination[done..]);
            _pos += n;
            done += n;
        }

        return true;
    }

    private bool Skip(long count)
    {
        while (count > 0)
        {
            int available = _len - _pos;
            if (available == 0)
            {
                if (_stream.CanSeek && count > _buffer.Length)
                {
                    return SeekForward(count);
                }

                if (!Fill())
                {
                    return false;
                }

                continue;
            }

            int n = (int)Math.Min(available, count);
            _pos += n;
            count -= n;
        }

        return true;
    }

    private bool SeekForward(long count)
    {
        long target = _bufferStart + _len + count;
        if (_streamLength >= 0 && target > _streamLength)
        {
            SkipToEnd();
            return false;
        }

        try
        {
            _stream.Seek(_streamStart + target, SeekOrigin.Begin);
        }
        catch (IOException)
        {
            return false;
        }

        _bufferStart = target;
        _pos = 0;
        _len = 0;
        return true;
    }

    private void SkipToEnd()
    {
        if (_streamLength >= 0)
        {
            _bufferStart = _streamLength;
            _pos = 0;
            _len = 0;
            _endOfStream = true;
            return;
        }

        while (Fill())
        {
            _pos = _len;
        }
    }

    /// <summary>
    /// Reads up to and including the next newline. Returns the line without the newline; lines longer than the
    /// limit are a limit error (CPython would read them, but no benign pickle has one).
    /// </summary>
    private ReadStatus ReadLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        int length = 0;
        while (true)
        {
            if (_pos >= _len && !Fill())
            {
                Error = "pickle data was truncated inside a text argument (no newline)";
                return ReadStatus.Truncated;
            }

            var window = _buffer.AsSpan(_pos, _len - _pos);
            int newline = window.IndexOf((byte)'\n');
            int take = newline < 0 ? window.Length : newline;
            if (length + take > _maxLineBytes)
            {
                Error = $"a text argument is longer than the configured maximum of {_maxLineBytes} bytes";
                return ReadStatus.LimitExceeded;
            }

            if (newline >= 0 && length == 0)
            {
                line = window[..newline];
                _pos += newline + 1;
                return ReadStatus.Ok;
            }

            EnsureLineCapacity(length + take);
            window[..take].CopyTo(_lineBuffer.AsSpan(length));
            length += take;
            _pos += take;
            if (newline >= 0)
            {
                _pos++;
                line = _lineBuffer.AsSpan(0, length);
                return ReadStatus.Ok;
            }
        }
    }

    private void EnsureLineCapacity(int needed)
    {
        if (_lineBuffer.Length < needed)
        {
            Array.Resize(ref _lineBuffer, Math.Max(needed, _lineBuffer.Length * 2));
        }
    }

    /// <summary>Consumes raw bytes that are not opcodes (joblib's in-band array data). False when the stream ends first.</summary>
    internal bool SkipRaw(long count)
    {
        long remaining = Remaining;
        if (remaining >= 0 && count > remaining)
        {
            SkipToEnd();
            return false;
        }

        return Skip(count);
    }

    /// <summary>Reads up to <paramref name="destination"/>'s length of raw bytes; returns how many were read.</summary>
    internal int ReadRaw(Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length && (_pos < _len || Fill()))
        {
            int n = Math.Min(_len - _pos, destination.Length - done);
            _buffer.AsSpan(_pos, n).CopyTo(destination[done..]);
            _pos += n;
            done += n;
        }

        return done;
    }

    /// <summary>Reads one raw byte; -1 at the end.</summary>
    internal int ReadRawByte()
    {
        if (_pos >= _len && !Fill())
        {
            return -1;
        }

        return _buffer[_pos++];
    }
}
