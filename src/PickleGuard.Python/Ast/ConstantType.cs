namespace PickleGuard.Python;

/// <summary>The Python type of a constant's value.</summary>
public enum ConstantType : byte
{
    None,
    True,
    False,
    Ellipsis,
    Int,
    Float,
    Complex,
    Str,
    Bytes,
}
