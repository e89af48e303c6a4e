namespace PickleGuard.Python;

/// <summary>CPython's <c>unaryop</c>.</summary>
public enum UnaryOperator : byte
{
    Invert,
    Not,
    UAdd,
    USub,
}
