using System.Text;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// Finds global references (<c>c</c>/<c>i</c> module-newline-name-newline, and two short strings followed by
/// STACK_GLOBAL) inside raw bytes that a loader might execute as opcodes although a linear reading treats them as data.
/// </summary>
internal static class HiddenGlobalSweep
{
    private const int MaxNameBytes = 256;

    public static IEnumerable<(string Module, string Name, int Offset)> Find(byte[] data)
    {
        var found = new List<(string, string, int)>();
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            if ((b == (byte)'c' || b == (byte)'i') && TryLine(data, i + 1, out var module, out int next) && TryLine(data, next, out var name, out _))
            {
                found.Add((module, name, i));
            }
            else if (b == 0x8c && TryShortUnicodePair(data, i, out var m, out var n))
            {
                found.Add((m, n, i));
            }
        }

        return found;
    }

    private static bool TryLine(byte[] data, int start, out string text, out int next)
    {
        text = "";
        next = start;
        int end = Array.IndexOf(data, (byte)'\n', start, Math.Min(MaxNameBytes, Math.Max(0, data.Length - start)));
        if (end <= start || !IsName(data.AsSpan(start, end - start)))
        {
            return false;
        }

        text = Encoding.ASCII.GetString(data, start, end - start);
        next = end + 1;
        return true;
    }

    private static bool TryShortUnicodePair(byte[] data, int i, out string module, out string name)
    {
        module = name = "";
        int len1 = i + 1 < data.Length ? data[i + 1] : -1;
        int second = i + 2 + len1;
        if (len1 <= 0 || second + 1 >= data.Length || data[second] != 0x8c)
        {
            return false;
        }

        int len2 = data[second + 1];
        int after = second + 2 + len2;
        if (len2 <= 0 || after >= data.Length || (data[after] != 0x93 && data[after] != 0x94))
        {
            return false;
        }

        if (!IsName(data.AsSpan(i + 2, len1)) || !IsName(data.AsSpan(second + 2, len2)))
        {
            return false;
        }

        module = Encoding.ASCII.GetString(data, i + 2, len1);
        name = Encoding.ASCII.GetString(data, second + 2, len2);
        return true;
    }

    private static bool IsName(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || !(char.IsAsciiLetter((char)bytes[0]) || bytes[0] == (byte)'_'))
        {
            return false;
        }

        foreach (byte b in bytes)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }
}
