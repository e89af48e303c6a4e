using System.Globalization;
using PickleGuard.Core;
using PickleGuard.Pickle.Opcodes;
using PickleGuard.Pickle.Reading;
using PickleGuard.Pickle.Rendering;

namespace PickleGuard.Pickle;

/// <summary>Lists the opcodes of a stream (all pickles in it), like <c>python -m pickletools</c>, without executing anything.</summary>
public static class PickleDisassembler
{
    private const int MaxArgumentChars = 120;

    /// <summary>Decodes every opcode; the last item carries <see cref="DisassembledInstruction.Error"/> when the stream breaks.</summary>
    public static IEnumerable<DisassembledInstruction> Disassemble(Stream stream, PickleLimits? limits = null)
    {
        limits ??= PickleLimits.Default;
        var reader = new PickleInstructionReader(stream, Math.Min(limits.MaxRetainedBytes, 4096), limits.MaxLineBytes, limits.MaxTotalBytes);
        var ins = default(PickleInstruction);
        int depth = 0;
        long count = 0;
        while (true)
        {
            var status = reader.Next(ref ins);
            if (status == ReadStatus.EndOfInput)
            {
                yield break;
            }

            if (status != ReadStatus.Ok)
            {
                yield return new DisassembledInstruction(ins.Offset, OpcodeTable.Find((byte)ins.Opcode)?.Name ?? "?", "", depth, reader.Error);
                yield break;
            }

            if (++count > limits.MaxOpcodes)
            {
                yield return new DisassembledInstruction(ins.Offset, "", "", depth, $"more than {limits.MaxOpcodes} opcodes");
                yield break;
            }

            var name = OpcodeTable.Find((byte)ins.Opcode)!.Value.Name;
            if (ConsumesMark(ins.Opcode))
            {
                depth = Math.Max(0, depth - 1);
            }

            yield return new DisassembledInstruction(ins.Offset, name, FormatArgument(ins), depth);
            if (ins.Opcode == PickleOpcode.Mark)
            {
                depth++;
            }
            else if (ins.Opcode == PickleOpcode.Stop)
            {
                depth = 0;
            }
        }
    }

    /// <summary>Writes one line per opcode; findings whose offset matches a line are shown under it.</summary>
    public static void Write(Stream stream, TextWriter output, IReadOnlyList<Finding>? findings = null, PickleLimits? limits = null)
    {
        var byOffset = FindingIndex.ByOffset(findings);
        foreach (var line in Disassemble(stream, limits))
        {
            if (line.Error is not null)
            {
                output.WriteLine($"{line.Offset,10}: error: {line.Error}");
                continue;
            }

            var indent = new string(' ', Math.Min(line.MarkDepth, 20) * 2);
            output.WriteLine(string.IsNullOrEmpty(line.Argument)
                ? $"{line.Offset,10}: {indent}{line.Name}"
                : $"{line.Offset,10}: {indent}{line.Name,-16} {line.Argument}");
            if (byOffset.TryGetValue(line.Offset, out var marks))
            {
                foreach (var finding in marks)
                {
                    output.WriteLine($"{"",10}  !! {finding.RuleCode} {finding.Severity.ToName()}: {finding.Message}");
                }
            }
        }
    }

    public static string ToText(Stream stream, IReadOnlyList<Finding>? findings = null, PickleLimits? limits = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(stream, writer, findings, limits);
        return writer.ToString();
    }

    private static bool ConsumesMark(PickleOpcode op) => op is PickleOpcode.Tuple or PickleOpcode.List or PickleOpcode.Dict
        or PickleOpcode.Appends or PickleOpcode.SetItems or PickleOpcode.AddItems or PickleOpcode.FrozenSet or PickleOpcode.Obj
        or PickleOpcode.Inst or PickleOpcode.PopMark;

    private static string FormatArgument(in PickleInstruction ins)
    {
        var kind = OpcodeTable.Find((byte)ins.Opcode)!.Value.Argument;
        switch (kind)
        {
            case ArgumentKind.None:
                return "";
            case ArgumentKind.TwoRawLines:
                return $"'{ins.Text} {ins.Text2}'";
            case ArgumentKind.Float8:
            case ArgumentKind.FloatLine:
                return ValueFormatter.FormatFloat(ins.Float);
        }

        if (ins.IsBigInteger || ins.Text is not null)
        {
            if (ins.IsBigInteger)
            {
                return ins.Text!;
            }

            var text = Machine.PickleValue.FromStr(ins.Text!, !ins.IsPayloadTruncated);
            var shown = ValueFormatter.Format(text, MaxArgumentChars);
            return ins.IsPayloadTruncated ? $"{shown} <{ins.DeclaredLength} bytes>" : shown;
        }

        if (ins.Data is not null)
        {
            var bytes = Machine.PickleValue.FromBytes(new Machine.PickleBytes(ins.Data, ins.DeclaredLength), ins.Opcode == PickleOpcode.ByteArray8);
            return ValueFormatter.Format(bytes, MaxArgumentChars);
        }

        if (ins.IsBoolean)
        {
            return ins.Integer != 0 ? "True" : "False";
        }

        return ins.Integer.ToString(CultureInfo.InvariantCulture);
    }
}
