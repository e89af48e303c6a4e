using PickleGuard.Pickle.Opcodes;

namespace PickleGuard.Pickle.Reading;

/// <summary>Newline-terminated arguments of the text protocol (0) opcodes.</summary>
public sealed partial class PickleInstructionReader
{
    private ReadStatus ReadTextArgument(ArgumentKind kind, ref PickleInstruction ins)
    {
        var status = ReadLine(out var line);
        if (status != ReadStatus.Ok)
        {
            return status;
        }

        ins.DeclaredLength = line.Length;
        switch (kind)
        {
            case ArgumentKind.DecimalLineShort:
                return NumberParsing.ParseIntLine(line, ref ins) ? ReadStatus.Ok : Bad("could not convert string to int");
            case ArgumentKind.DecimalLineLong:
                return NumberParsing.ParseLongLine(line, ref ins) ? ReadStatus.Ok : Bad("invalid literal for int() with base 0");
            case ArgumentKind.MemoIndexLine:
                return NumberParsing.ParseMemoIndexLine(line, ref ins) ? ReadStatus.Ok : Bad($"invalid memo index for {Name(ins)}");
            case ArgumentKind.FloatLine:
                return NumberParsing.ParseFloatLine(line, ref ins) ? ReadStatus.Ok : Bad("could not convert string to float");
            case ArgumentKind.QuotedStringLine:
                return ReadQuotedString(line, ref ins);
            case ArgumentKind.UnicodeLine:
                ins.Text = TextDecoding.DecodeRawUnicodeEscape(line);
                return ReadStatus.Ok;
            case ArgumentKind.RawLine:
                // CPython decodes the persistent id as strict ASCII.
                if (!TextDecoding.IsAscii(line))
                {
                    return Bad("persistent IDs in protocol 0 must be ASCII strings");
                }

                ins.Text = TextDecoding.DecodeLatin1(line);
                return ReadStatus.Ok;
            default:
                return ReadGlobalName(line, ref ins);
        }
    }

    private ReadStatus ReadQuotedString(ReadOnlySpan<byte> line, ref PickleInstruction ins)
    {
        // CPython strips only the outermost matching quotes, then applies Python 2 string escapes.
        if (line.Length < 2 || line[0] != line[^1] || (line[0] != (byte)'\'' && line[0] != (byte)'"'))
        {
            return Bad("the STRING opcode argument must be quoted");
        }

        var decoded = TextDecoding.DecodeEscapes(line[1..^1]);
        if (decoded is null)
        {
            return Bad("invalid \\x escape in STRING argument");
        }

        ins.Text = decoded;
        return ReadStatus.Ok;
    }

    private ReadStatus ReadGlobalName(ReadOnlySpan<byte> moduleLine, ref PickleInstruction ins)
    {
        var module = TextDecoding.TryDecodeUtf8Strict(moduleLine);
        if (module is null)
        {
            return Bad($"the module name of {Name(ins)} is not valid UTF-8");
        }

        var status = ReadLine(out var nameLine);
        if (status != ReadStatus.Ok)
        {
            return status;
        }

        var name = TextDecoding.TryDecodeUtf8Strict(nameLine);
        if (name is null)
        {
            return Bad($"the qualified name of {Name(ins)} is not valid UTF-8");
        }

        ins.Text = module;
        ins.Text2 = name;
        return ReadStatus.Ok;
    }
}
