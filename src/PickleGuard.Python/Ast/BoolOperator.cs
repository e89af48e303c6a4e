namespace PickleGuard.Python;

/// <summary>CPython's <c>boolop</c>.</summary>
public enum BoolOperator : byte
{
    And,
    Or,
}
