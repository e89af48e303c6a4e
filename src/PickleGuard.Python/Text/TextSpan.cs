namespace PickleGuard.Python;

/// <summary>A range of UTF-16 code units in <see cref="SourceText.Text"/>.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);
}
