namespace PickleGuard.Cli.Inputs;

/// <summary>
/// Follows the lines of one notebook cell to tell whether the next line starts a logical line, the only place IPython
/// reads a magic or a shell escape: inside brackets, inside a triple-quoted string or after a backslash the line
/// continues Python (<c>% (a, b)</c> is the modulo operator there, <c>!important</c> a docstring's text). A light reading
/// of quotes, comments and brackets, not a tokenizer: an unterminated one-line string ends with its line, as the
/// tokenizer's error would, and a stray closing bracket never makes the depth negative.
/// </summary>
internal struct LogicalLineTracker
{
    private int depth;
    private char quote;
    private bool triple;
    private bool continued;
    private bool endsInCode;
    private int assignment;

    public readonly bool AtLogicalLineStart => depth == 0 && quote == '\0' && !continued;

    /// <summary>Whether the line last read ended in code, not in a comment or a string.</summary>
    public readonly bool EndsInCode => endsInCode;

    /// <summary>
    /// Where the first assignment's <c>=</c> of the line last read is (outside brackets and strings, not part of
    /// <c>==</c>, <c>!=</c>, <c>&lt;=</c>, <c>+=</c>, <c>:=</c> or another operator), or -1: the <c>=</c> that IPython's
    /// system and magic assignments look for.
    /// </summary>
    public readonly int FirstAssignment => assignment;

    /// <summary>Reads one line of Python (not a magic) and what it leaves open.</summary>
    public void Read(string line)
    {
        continued = false;
        endsInCode = true;
        assignment = -1;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\')
            {
                continued = i == line.Length - 1;
                i++;
            }
            else if (quote != '\0')
            {
                if (c == quote && (!triple || IsTripleQuote(line, i, c)))
                {
                    i += triple ? 2 : 0;
                    quote = '\0';
                }
            }
            else if (c == '#')
            {
                endsInCode = false;
                break;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                triple = IsTripleQuote(line, i, c);
                i += triple ? 2 : 0;
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == '=' && depth == 0 && assignment < 0 && IsAssignmentOperator(line, i))
            {
                assignment = i;
            }
        }
        endsInCode &= quote == '\0';
        if (quote != '\0' && !triple && !continued)
        {
            quote = '\0';
        }
    }

    private static bool IsAssignmentOperator(string line, int at) =>
        (at == 0 || "=!<>+-*/%&|^@:".IndexOf(line[at - 1], StringComparison.Ordinal) < 0)
        && (at + 1 == line.Length || line[at + 1] != '=');

    private static bool IsTripleQuote(string line, int at, char c) =>
        at + 2 < line.Length && line[at + 1] == c && line[at + 2] == c;
}
