namespace PickleGuard.Python.Tests.Parser;

/// <summary>Inputs CPython's ast.parse rejects (checked with CPython 3.13): we report an error on the same
/// line and still return a tree.</summary>
public class InvalidSyntaxTests
{
    [Theory]
    [InlineData("f() = 1", 1)]
    [InlineData("1 = x", 1)]
    [InlineData("a + b = c", 1)]
    [InlineData("(a, f()) = c", 1)]
    [InlineData("x += y, z = 1", 1)]
    [InlineData("f() += 1", 1)]
    [InlineData("del f()", 1)]
    [InlineData("del *a", 1)]
    [InlineData("for f() in x: pass", 1)]
    [InlineData("with a as f(): pass", 1)]
    [InlineData("[x for f() in y]", 1)]
    [InlineData("a, *b, *c = d", 1)]
    [InlineData("f(a=1, b)", 1)]
    [InlineData("f(**a, *b)", 1)]
    [InlineData("f(x for x in y, 1)", 1)]
    [InlineData("def f(a=1, b): pass", 1)]
    [InlineData("def f(*): pass", 1)]
    [InlineData("def f(a, a=1, /, /): pass", 1)]
    [InlineData("x = (1, 2", 1)]
    [InlineData("x = 1)", 1)]
    [InlineData("if x\n    pass", 1)]
    [InlineData("if x:\npass", 2)]
    [InlineData("  x = 1", 1)]
    [InlineData("if x:\n    a\n  b", 3)]
    [InlineData("x = 'abc", 1)]
    [InlineData("x = '''abc", 1)]
    [InlineData("x = b'\u00e9'", 1)]
    [InlineData("x = b'a' 'b'", 1)]
    [InlineData("x = '\\x4'", 1)]
    [InlineData("x = u'\\u12'", 1)]
    [InlineData("x = '\\N{GREEK CAPITAL LETTR OMEGA}'", 1)]
    [InlineData("x = '\\N{CJK UNIFIED IDEOGRAPH-A000}'", 1)]
    [InlineData("x = f'\\N{BULLET'", 1)]
    [InlineData("x = 1__0", 1)]
    [InlineData("x = 1abc", 1)]
    [InlineData("x = $", 1)]
    [InlineData("x = f'{}'", 1)]
    [InlineData("x = f'{a!x}'", 1)]
    [InlineData("x = f'}'", 1)]
    [InlineData("x: int, y: int = 1, 2", 1)]
    [InlineData("lambda x=1, y: x", 1)]
    [InlineData("try:\n    pass", 2)]
    [InlineData("try:\n    pass\nexcept A:\n    pass\nexcept* B:\n    pass", 5)]
    [InlineData("try:\n    pass\nexcept A, B as e:\n    pass", 3)]
    [InlineData("import a.", 1)]
    [InlineData("from x import a,", 1)]
    [InlineData("def f[](): pass", 1)]
    [InlineData("print(*a if b)", 1)]
    [InlineData("a := 1", 1)]
    [InlineData("x = t'a' 'b'", 1)]
    [InlineData("x = f\"{1+2:{1+2:{1+1:{1}}}}\"", 1)]
    [InlineData("[*x for x in xs]", 1)]
    [InlineData("{*a: 1}", 1)]
    [InlineData("class C(x for x in L):\n    pass", 1)]
    [InlineData("match x:\n    case {**rest, \"key\": value}:\n        pass", 2)]
    [InlineData("match x:\n    case {**_}:\n        pass", 2)]
    [InlineData("\U0001D120 = 1", 1)]
    [InlineData("x = 1 + \\", 1)]
    [InlineData("x = yield = 1", 1)]
    [InlineData("x = 1\nx = 1 if 2", 2)]
    public void ReportsAnErrorOnTheRightLine(string source, int line)
    {
        ParseResult result = Parse.Text(source + "\n");

        SyntaxDiagnostic[] errors = Parse.Errors(result);
        Assert.NotEmpty(errors);
        Assert.Equal(line, Parse.LineOf(result, errors[0]));
        Assert.NotNull(result.Module);
    }

    [Theory]
    [InlineData("nonlocal x")]
    [InlineData("return 1")]
    [InlineData("yield x")]
    [InlineData("await x")]
    [InlineData("break")]
    [InlineData("def f(a, a): pass")]
    [InlineData("x = *a")]
    [InlineData("__debug__ = 1")]
    [InlineData("x = '\\N{line feed}\\N{BYTE ORDER MARK}\\N{CJK UNIFIED IDEOGRAPH-4E00}\\N{HANGUL SYLLABLE GA}'")]
    [InlineData("x = f\"{x:{y:{z}}}\"")]
    [InlineData("\U0001D518 = 1")]
    [InlineData("match x:\n    case f(): pass")]
    [InlineData("async = 1\n", false)]
    public void SemanticChecksAreNotParseErrors(string source, bool valid = true)
    {
        // ast.parse accepts these (the compiler, not the parser, rejects them) - except 'async' as a name.
        ParseResult result = Parse.Text(source + "\n");

        Assert.Equal(valid, result.Diagnostics.Count == 0);
    }
}
