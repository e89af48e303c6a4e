namespace PickleGuard.Python;

/// <summary>Hand-written recursive-descent parser over the token array. It never throws and never stops:
/// every error is recorded, a placeholder node keeps the tree whole, and every loop consumes a token or
/// exits. Grammar rule names in comments refer to CPython's Grammar/python.gram.</summary>
internal sealed partial class Parser
{
    /// <summary>Nesting limit for expressions and blocks, close to CPython's 200 parentheses.</summary>
    private const int MaxDepth = 200;
    private const int MaxBlockDepth = 100;

    /// <summary>Longest left-associative chain (a+b+c…, a.b.c…, - - x…) before the tree would get too deep
    /// for recursive walkers; CPython stops such inputs with a RecursionError.</summary>
    private const int MaxChainLength = 1000;

    /// <summary>CPython allows a format spec inside a format spec, but no deeper.</summary>
    private const int MaxFormatSpecDepth = 2;

    private readonly string _text;
    private readonly Token[] _tokens;
    private readonly int _count;
    private readonly DiagnosticBag _diagnostics;
    private readonly NameTable _names;
    private readonly NameTable _literals;
    private readonly NameFilter _nameFilter;

    /// <summary>The calling thread's builder for a literal being decoded (<see cref="Scratch"/>).</summary>
    [ThreadStatic]
    private static System.Text.StringBuilder? _scratch;
    private int _index;
    private int _depth;
    private int _blockDepth;
    private int _formatSpecDepth;
    private int _calls;
    private bool _unicodeEscapesMayBePython2Text;

    public Parser(string text, Token[] tokens, int count, DiagnosticBag diagnostics)
    {
        _text = text;
        _tokens = tokens;
        _count = count;
        _diagnostics = diagnostics;
        _names = NameTable.ForCurrentThread();
        _literals = NameTable.LiteralsForCurrentThread();
        _nameFilter = new NameFilter(text.Length);
    }

    /// <summary>Every name this parse made (<see cref="Intern(ReadOnlySpan{char})"/>).</summary>
    public NameFilter Names => _nameFilter;

    private Token Current => _tokens[_index];

    private TokenKind Kind => _tokens[_index].Kind;

    /// <summary>End of the last consumed token.</summary>
    /// <summary>The next <see cref="CallExpr.Ordinal"/>.</summary>
    private int NextCallOrdinal() => _calls++;

    private int PreviousEnd => _index > 0 ? _tokens[_index - 1].End : 0;

    private TokenKind Peek(int offset) => _tokens[Math.Min(_index + offset, _count - 1)].Kind;

    private Token PeekToken(int offset) => _tokens[Math.Min(_index + offset, _count - 1)];

    private Token Advance()
    {
        Token token = _tokens[_index];
        if (_index < _count - 1)
        {
            _index++;
        }

        return token;
    }

    private bool Eat(TokenKind kind)
    {
        if (Kind != kind)
        {
            return false;
        }

        Advance();
        return true;
    }

    private void Expect(TokenKind kind, string text)
    {
        if (!Eat(kind))
        {
            ErrorAtCurrent($"expected '{text}'");
        }
    }

    private bool IsSoftKeyword(string keyword) =>
        Kind == TokenKind.Name && _text.AsSpan(Current.Start, Current.Length).SequenceEqual(keyword);

    private bool TokenIs(Token token, string text) => _text.AsSpan(token.Start, token.Length).SequenceEqual(text);

    private void Error(TextSpan span, string message) => _diagnostics.Add(span, message);

    private void ErrorAtCurrent(string message)
    {
        Token token = Current;
        string found = token.Kind switch
        {
            TokenKind.Newline => "newline",
            TokenKind.EndOfFile => "end of file",
            TokenKind.Indent => "indent",
            TokenKind.Dedent => "dedent",
            _ => $"'{Truncate(_text.AsSpan(token.Start, token.Length))}'",
        };
        Error(token.Span, $"invalid syntax: {message}, found {found}");
    }

    private static string Truncate(ReadOnlySpan<char> text) => text.Length > 20 ? string.Concat(text[..20], "...") : text.ToString();

    private string Intern(Token token) => Intern(_text.AsSpan(token.Start, token.Length));

    /// <summary>The name spelled <paramref name="name"/>; every name of the tree comes from here, so it is noted in <see cref="Names"/>.</summary>
    private string Intern(ReadOnlySpan<char> name)
    {
        string interned = _names.Intern(name, out int hash);
        _nameFilter.Add(hash);
        return interned;
    }

    /// <summary>A placeholder for a missing expression: an empty name at the current position.</summary>
    private NameExpr Missing() => new(new TextSpan(Current.Start, 0), string.Empty, ExprContext.Load);

    private TextSpan SpanFrom(int start) => TextSpan.FromBounds(start, Math.Max(start, PreviousEnd));

    /// <summary>Skips to the end of the logical line without consuming the NEWLINE.</summary>
    private void SkipToNewline()
    {
        while (Kind is not (TokenKind.Newline or TokenKind.EndOfFile or TokenKind.Indent or TokenKind.Dedent))
        {
            Advance();
        }
    }

    /// <summary>Called when nesting is too deep: report once, skip the rest of the logical line and
    /// silence the cascade of errors the unwinding would cause until the next statement.</summary>
    private void BailOutTooDeep(string message)
    {
        Error(Current.Span, message);
        _diagnostics.Suppressed = true;
        SkipToNewline();
    }

    /// <summary>Copies a list built while parsing into an exact-size array and recycles the list.</summary>
    private static IReadOnlyList<T> ToList<T>(List<T>? list)
    {
        if (list == null)
        {
            return Array.Empty<T>();
        }

        // Through a span: List.ToArray goes through Array.Copy, whose checks cost more than copying the few items.
        T[] result = list.Count == 0 ? Array.Empty<T>() : System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list).ToArray();
        ListPool<T>.Return(list);
        return result;
    }

    /// <summary>The thread's scratch builder, emptied: one for every literal decoded, instead of a builder each.</summary>
    private static System.Text.StringBuilder Scratch() => (_scratch ??= new System.Text.StringBuilder()).Clear();

    private static List<T> Rent<T>() => ListPool<T>.Rent();

    private static List<T> Rent1<T>(T first)
    {
        List<T> list = ListPool<T>.Rent();
        list.Add(first);
        return list;
    }
}
