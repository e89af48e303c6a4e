namespace PickleGuard.Python;

/// <summary>
/// A str constant's value that is a piece of the source text as written (<see cref="ConstantValue.FromSource"/>): the
/// string is made on the first read and kept. Two threads reading it at once may each make one; both are equal.
/// </summary>
internal sealed class SourceSlice(string source, int start, int length)
{
    private string? _text;

    public string Text => _text ??= source.Substring(start, length);
}
