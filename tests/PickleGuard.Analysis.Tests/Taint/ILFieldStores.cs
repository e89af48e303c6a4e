using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// A small walker over a method body's IL (ECMA-335 partition III): decodes it instruction by instruction with an
/// opcode table built from <see cref="OpCodes"/>, so an operand byte is never mistaken for an opcode, and reports the
/// fields the method overwrites. Malformed or unknown IL throws instead of being skipped.
/// </summary>
internal static class ILFieldStores
{
    /// <summary>One decoded instruction: where it starts, what it is, and where its operand lies.</summary>
    public readonly record struct Instruction(int Offset, OpCode OpCode, int OperandOffset, int OperandSize);

    private static readonly OpCode?[] OneByte = new OpCode?[256];

    /// <summary>The opcodes that follow the 0xFE prefix, by their second byte.</summary>
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

    private const byte TwoBytePrefix = 0xFE;

    static ILFieldStores()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode opCode || opCode.OpCodeType == OpCodeType.Nternal)
            {
                continue; // the reserved prefix bytes (prefix1..7, prefixref) are not instructions
            }
            var value = unchecked((ushort)opCode.Value);
            var table = opCode.Size == 1 ? OneByte
                : opCode.Size == 2 && value >> 8 == TwoBytePrefix ? TwoByte
                : throw new InvalidOperationException($"unexpected opcode encoding {opCode.Name} 0x{value:X4}");
            if (table[value & 0xFF] is { } other)
            {
                throw new InvalidOperationException($"opcodes {other.Name} and {opCode.Name} share 0x{value:X4}");
            }
            table[value & 0xFF] = opCode;
        }
    }

    /// <summary>Decodes <paramref name="il"/> to its end; throws on an unknown opcode or an operand past the end.</summary>
    public static List<Instruction> Decode(byte[] il)
    {
        var instructions = new List<Instruction>();
        var offset = 0;
        while (offset < il.Length)
        {
            var start = offset;
            var first = il[offset++];
            OpCode? opCode;
            if (first == TwoBytePrefix)
            {
                if (offset >= il.Length)
                {
                    throw new InvalidDataException($"IL ends inside the two-byte opcode at {start}");
                }
                opCode = TwoByte[il[offset++]];
            }
            else
            {
                opCode = OneByte[first];
            }
            if (opCode is not { } known)
            {
                throw new InvalidDataException($"unknown opcode 0x{il[offset - 1]:X2} at {start}");
            }
            var operandSize = OperandSize(known.OperandType, il, offset);
            if (offset + operandSize > il.Length)
            {
                throw new InvalidDataException($"{known.Name} at {start} has its operand past the end of the IL");
            }
            instructions.Add(new Instruction(start, known, offset, operandSize));
            offset += operandSize;
        }
        return instructions;
    }

    /// <summary>
    /// The fields <paramref name="method"/> overwrites whole: each <c>stfld</c>, each <c>ldflda</c> directly followed
    /// by <c>initobj</c> (how the compiler stores <c>default</c> or <c>null</c> in a struct or nullable field), and
    /// those stored by the setters of its own type's properties it calls (an auto-property's backing field).
    /// </summary>
    public static HashSet<FieldInfo> StoredBy(MethodBase method)
    {
        var stored = new HashSet<FieldInfo>();
        AddStores(method, stored, []);
        return stored;
    }

    private static void AddStores(MethodBase method, HashSet<FieldInfo> stored, HashSet<MethodBase> seen)
    {
        if (!seen.Add(method) || method.GetMethodBody()?.GetILAsByteArray() is not { } il)
        {
            return;
        }
        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var instructions = Decode(il);
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            var opCode = instruction.OpCode;
            if (opCode == OpCodes.Stfld
                || (opCode == OpCodes.Ldflda && i + 1 < instructions.Count && instructions[i + 1].OpCode == OpCodes.Initobj))
            {
                var field = module.ResolveField(Token(il, instruction), typeArguments, methodArguments);
                if (field is not null)
                {
                    stored.Add(field);
                }
            }
            else if (opCode == OpCodes.Call || opCode == OpCodes.Callvirt)
            {
                var callee = module.ResolveMethod(Token(il, instruction), typeArguments, methodArguments);
                if (callee is { IsSpecialName: true } && callee.Name.StartsWith("set_", StringComparison.Ordinal)
                    && callee.DeclaringType == method.DeclaringType)
                {
                    AddStores(callee, stored, seen);
                }
            }
        }
    }

    private static int Token(byte[] il, Instruction instruction) =>
        BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(instruction.OperandOffset, 4));

    /// <summary>The operand's length in bytes; a switch's depends on its target count, read at <paramref name="offset"/>.</summary>
    private static int OperandSize(OperandType type, byte[] il, int offset) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineBrTarget or OperandType.InlineField or OperandType.InlineI or OperandType.InlineMethod
            or OperandType.InlineSig or OperandType.InlineString or OperandType.InlineTok or OperandType.InlineType
            or OperandType.ShortInlineR => 4,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => offset + 4 <= il.Length
            ? checked(4 + (4 * (int)BinaryPrimitives.ReadUInt32LittleEndian(il.AsSpan(offset, 4))))
            : throw new InvalidDataException($"IL ends inside the switch target count at {offset}"),
        _ => throw new InvalidDataException($"operand type {type} at {offset} is not decoded"),
    };
}
