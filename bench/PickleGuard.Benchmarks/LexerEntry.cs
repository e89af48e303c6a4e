using System.Reflection;
using PickleGuard.Python;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Calls the parser's tokenizer, which is internal to PickleGuard.Python (the product never needs
/// tokens without a tree). Bound once by reflection here so the benchmark measures the lexer alone;
/// per call the reflective invoke costs well under a microsecond against milliseconds of lexing.
/// </summary>
internal sealed class LexerEntry
{
    private readonly MethodInfo _tokenize;
    private readonly Type _diagnosticBag;

    private LexerEntry(MethodInfo tokenize, Type diagnosticBag)
    {
        _tokenize = tokenize;
        _diagnosticBag = diagnosticBag;
    }

    public static LexerEntry Bind()
    {
        var assembly = typeof(PythonParser).Assembly;
        var lexer = assembly.GetType("PickleGuard.Python.Lexer");
        var bag = assembly.GetType("PickleGuard.Python.DiagnosticBag");
        var tokenize = lexer?.GetMethod("Tokenize", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        if (tokenize is null || bag is null)
            throw new InvalidOperationException("PickleGuard.Python.Lexer.Tokenize(string, DiagnosticBag, out int) was not found");
        return new LexerEntry(tokenize, bag);
    }

    /// <summary>Tokenizes decoded text; returns the token count.</summary>
    public int Tokenize(string text)
    {
        object?[] arguments = [text, Activator.CreateInstance(_diagnosticBag, nonPublic: true), 0];
        _tokenize.Invoke(null, arguments);
        return (int)arguments[2]!;
    }
}
