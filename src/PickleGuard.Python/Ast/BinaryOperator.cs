namespace PickleGuard.Python;

/// <summary>CPython's <c>operator</c>.</summary>
public enum BinaryOperator : byte
{
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    FloorDiv,
}
