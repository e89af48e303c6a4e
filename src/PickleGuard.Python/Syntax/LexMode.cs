namespace PickleGuard.Python;

internal enum LexModeKind : byte
{
    /// <summary>The literal part of an f-string or t-string.</summary>
    StringBody,

    /// <summary>The expression inside a replacement field's braces.</summary>
    Field,

    /// <summary>The format spec after a field's top-level ':'.</summary>
    Spec,
}

/// <summary>One level of the lexer's f-string mode stack.</summary>
internal struct LexMode
{
    public LexModeKind Kind;
    public char Quote;
    public bool Triple;
    public bool Raw;
    public int Start;
    public int BracketDepth;
}
