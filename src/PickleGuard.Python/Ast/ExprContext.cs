namespace PickleGuard.Python;

/// <summary>CPython's <c>expr_context</c>.</summary>
public enum ExprContext : byte
{
    Load,
    Store,
    Del,
}
