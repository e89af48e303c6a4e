namespace PickleGuard.Python;

/// <summary>A token: a kind and a char range, never text.</summary>
internal readonly struct Token
{
    public Token(TokenKind kind, int start, int length)
    {
        Kind = kind;
        Start = start;
        Length = length;
    }

    public TokenKind Kind { get; }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;

    public TextSpan Span => new(Start, Length);
}
