using System.Buffers.Binary;
using System.Text;

namespace PickleGuard.Pickle.Containers.Formats;

internal sealed partial class PickleWalker
{
    private const int MaxStack = 1 << 20;
    private const int MaxText = 1 << 20;

    private void Push(WalkValue value)
    {
        if (stack.Count >= MaxStack)
        {
            throw new InvalidDataException("stack too deep");
        }

        stack.Add(value);
    }

    private WalkValue Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks[^1] >= stack.Count))
        {
            throw new InvalidDataException("stack underflow");
        }

        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private WalkValue Peek(int depth = 0) =>
        stack.Count > depth ? stack[^(depth + 1)] : throw new InvalidDataException("stack underflow");

    private List<WalkValue> PopN(int count)
    {
        if (stack.Count < count)
        {
            throw new InvalidDataException("stack underflow");
        }

        var items = stack.GetRange(stack.Count - count, count);
        stack.RemoveRange(stack.Count - count, count);
        return items;
    }

    private List<WalkValue> PopMark()
    {
        if (marks.Count == 0)
        {
            throw new InvalidDataException("no mark");
        }

        var mark = marks[^1];
        marks.RemoveAt(marks.Count - 1);
        var items = stack.GetRange(mark, stack.Count - mark);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private byte[] ReadBytes(int count)
    {
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private int ReadLength(int width)
    {
        var bytes = ReadBytes(width);
        var length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return length > int.MaxValue ? throw new InvalidDataException("length too large") : (int)length;
    }

    private string ReadText(int length)
    {
        if (length > MaxText)
        {
            SkipPayload(length);
            return "";
        }

        return Encoding.UTF8.GetString(ReadBytes(length));
    }

    /// <summary>Steps over a bytes payload without reading it when the stream can seek (tensor data can be large).</summary>
    private void SkipPayload(long length)
    {
        if (stream.CanSeek)
        {
            if (stream.Position + length > stream.Length)
            {
                throw new EndOfStreamException();
            }

            stream.Position += length;
        }
        else
        {
            Span<byte> buffer = stackalloc byte[4096];
            while (length > 0)
            {
                var read = stream.Read(buffer[..(int)Math.Min(buffer.Length, length)]);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                length -= read;
            }
        }
    }

    private string ReadLine()
    {
        var builder = new StringBuilder();
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new EndOfStreamException();
            }

            if (b == '\n')
            {
                return builder.ToString();
            }

            if (builder.Length >= MaxLine)
            {
                throw new InvalidDataException("line too long");
            }

            builder.Append((char)b);
        }
    }
}
