namespace PickleGuard.Python;

/// <summary>A problem with the input: a syntax error, a decoding error, or a Python 2 form
/// (<paramref name="IsPython2"/>) that was read as its closest Python 3 equivalent.</summary>
public sealed record SyntaxDiagnostic(TextSpan Span, string Message, bool IsPython2);
