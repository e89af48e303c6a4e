using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Inputs;

/// <summary>
/// Turns a Jupyter notebook into one Python script made of its code cells, in order (a notebook runs its cells
/// top to bottom, so data flows across cells). An IPython magic, shell escape or help request (<c>%</c>, <c>!</c>,
/// <c>?</c> before or after a name) becomes <c>pass</c> at its own indentation, not removed, so lines stay put and a
/// block whose only statement it is (<c>if not gpu:</c> then <c>    !pip install x</c>) keeps a body; a cell magic such
/// as <c>%%bash</c> blanks its whole cell because its body is not Python.
/// </summary>
internal static partial class NotebookSource
{
    private static readonly HashSet<string> PythonBodyCellMagics = new(StringComparer.Ordinal) { "time", "timeit", "capture", "prun" };

    /// <summary>
    /// Line magics and shell aliases IPython runs without their <c>%</c> (automagic): <c>pip install x</c> in a cell.
    /// </summary>
    private static readonly HashSet<string> AutomagicNames = new(StringComparer.Ordinal)
    {
        "pip", "conda", "mamba", "cd", "ls", "pwd", "env", "set_env", "load_ext", "reload_ext", "unload_ext", "matplotlib",
        "pylab", "timeit", "time", "run", "who", "whos", "reset", "mkdir", "rmdir", "cat", "less", "man", "rm", "cp", "mv",
        "store", "autoreload", "aimport", "config", "alias", "history", "pdb", "debug", "prun", "sx", "system", "bookmark",
        "pushd", "popd", "dhist", "xmode", "precision", "load", "save", "edit", "logstart", "lsmagic", "magic", "gui",
    };

    /// <summary>Words after which a magic's name is still Python (<c>time if fast else slow</c>).</summary>
    private static readonly HashSet<string> PythonContinuations = new(StringComparer.Ordinal)
    {
        "if", "else", "in", "is", "and", "or", "not", "for", "async",
    };

    public static bool TryExtract(ReadOnlyMemory<byte> json, out string source, out NotebookCellMap map, out string? error)
    {
        source = "";
        map = new NotebookCellMap([], []);
        error = null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                error = "not a Jupyter notebook (no \"cells\" array)";
                return false;
            }
            var text = new StringBuilder();
            var indexes = new List<int>();
            var starts = new List<int>();
            var line = 1;
            var cellIndex = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                cellIndex++;
                if (cell.ValueKind != JsonValueKind.Object
                    || !cell.TryGetProperty("cell_type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "code")
                {
                    continue;
                }
                var lines = WithoutLeadingIndent(CellLines(cell));
                indexes.Add(cellIndex);
                starts.Add(line);
                var blankAll = lines.Count > 0 && IsNonPythonCellMagic(lines[0]);
                var logical = new LogicalLineTracker();
                var continuedEscape = false;
                foreach (var cellLine in lines)
                {
                    // IPython joins a magic's or shell escape's backslash-continued lines to it (`!train.py \` then
                    // `    --epochs 3`): they are part of the command, not Python.
                    var escaped = continuedEscape;
                    text.Append(blankAll || continuedEscape ? "" : PythonLine(cellLine, ref logical, out escaped)).Append('\n');
                    continuedEscape = escaped && cellLine.EndsWith('\\');
                    line++;
                }
            }
            source = text.ToString();
            map = new NotebookCellMap(indexes, starts);
            return true;
        }
        catch (JsonException ex)
        {
            error = "invalid notebook JSON: " + ex.Message;
            return false;
        }
    }

    /// <summary>
    /// The line as Python: a magic becomes <c>pass</c> at its indentation. IPython looks for magics only where a logical
    /// line starts, so a line inside brackets or a triple-quoted string, or after a backslash, stays as it is
    /// (<c>% args</c> there is the modulo operator).
    /// </summary>
    /// <param name="escaped">Whether the line was a magic or a shell escape, whose continuation lines IPython joins to it.</param>
    private static string PythonLine(string cellLine, ref LogicalLineTracker logical, out bool escaped)
    {
        var trimmed = cellLine.TrimStart();
        escaped = false;
        if (logical.AtLogicalLineStart)
        {
            var indent = cellLine[..^trimmed.Length];
            if (TimedStatement(trimmed) is { } statement)
            {
                // `%time obj = pickle.loads(blob)` runs the statement: it stays, after a `pass;` as wide as the magic.
                var line = indent + "pass;".PadRight(trimmed.Length - statement.Length) + statement;
                logical.Read(line);
                return line;
            }
            if (IsEscaped(trimmed) || IsAutomagic(trimmed))
            {
                escaped = true;
                return indent + "pass";
            }
            if (IsHelpRequest(cellLine, logical))
            {
                return indent + "pass";
            }
            if (EscapeAssignmentTargets(trimmed) is { } targets)
            {
                // `files = !ls`, `t = %time f()`: a shell's or a magic's output, no Python to read.
                escaped = true;
                return indent + targets + "= None";
            }
        }
        logical.Read(cellLine);
        return cellLine;
    }

    /// <summary>
    /// A line IPython runs as a magic (<c>%</c>), a shell command (<c>!</c>) or a help request (<c>?name</c>,
    /// <c>??name</c>), by its first character.
    /// </summary>
    private static bool IsEscaped(string trimmed) => trimmed.Length > 0 && trimmed[0] is '%' or '!' or '?';

    /// <summary>
    /// IPython's help request at the end of a logical line (<c>pickle.loads?</c>, <c>obj??</c>, <c>%time?</c>,
    /// <c>np.*load*?</c>): a dotted name, then <c>?</c> or <c>??</c> in code, not in a comment or a string. IPython
    /// replaces the whole line with the help call, so nothing of it runs.
    /// </summary>
    private static bool IsHelpRequest(string line, LogicalLineTracker logical)
    {
        logical.Read(line);
        return logical.AtLogicalLineStart && logical.EndsInCode && HelpEnd().IsMatch(line);
    }

    [GeneratedRegex(@"%{0,2}[A-Za-z_*][\w*]*(\.[A-Za-z_*][\w*]*)*\?\??$")]
    private static partial Regex HelpEnd();

    /// <summary>The line magics that run the Python statement after them (and their options, <c>-n 10</c>).</summary>
    private static readonly HashSet<string> TimingMagics = new(StringComparer.Ordinal) { "%time", "%timeit", "%prun" };

    /// <summary>
    /// The statement a timing magic runs (<c>%timeit -n 10 -r 3 f(x)</c>: <c>f(x)</c>), when the magic and its options
    /// are at least as wide as <c>pass;</c>; else null.
    /// </summary>
    private static string? TimedStatement(string trimmed)
    {
        var words = trimmed.Split(' ');
        if (!TimingMagics.Contains(words[0]))
        {
            return null;
        }
        var skip = 1;
        while (skip < words.Length && (words[skip].Length == 0 || words[skip].StartsWith('-')))
        {
            // An option's separate value (`-n 10`) is a number.
            skip += skip + 1 < words.Length && words[skip].Length > 0 && words[skip].Length <= 2 && words[skip + 1].All(char.IsDigit) && words[skip + 1].Length > 0 ? 2 : 1;
        }
        var statement = string.Join(' ', words[skip..]);
        // `%time %pxresult` times another magic: no Python either.
        return statement.Length > 0 && !IsEscaped(statement) && trimmed.Length - statement.Length >= "pass;".Length ? statement : null;
    }

    /// <summary>
    /// IPython's system and magic assignments: the first <c>=</c> outside brackets, then <c>!</c>, or <c>%</c> and a
    /// magic's name. IPython keeps whatever is before the <c>=</c>, so any target is one (<c>[path] = !ls -t | head -1</c>,
    /// <c>d["k"] = !ls</c>, <c>a, b = %sx ls</c>; only a plain name or a comma list of them was read before, and MLServer's
    /// mlflow notebooks were syntax errors); that text is returned, or null. <c>a = b = !ls</c>, <c>x += !ls</c> and
    /// <c>x = %%bash</c> stay, syntax errors in IPython too.
    /// </summary>
    private static string? EscapeAssignmentTargets(string trimmed)
    {
        var line = new LogicalLineTracker();
        line.Read(trimmed);
        var at = line.FirstAssignment;
        if (at <= 0)
        {
            return null;
        }
        var value = trimmed.AsSpan(at + 1).TrimStart();
        var isEscape = value.StartsWith('!')
            || (value.StartsWith('%') && value[1..].TrimStart() is [var first, ..] && (char.IsLetter(first) || first == '_'));
        return isEscape ? trimmed[..at] : null;
    }

    private static List<string> CellLines(JsonElement cell)
    {
        var joined = new StringBuilder();
        if (cell.TryGetProperty("source", out var source))
        {
            if (source.ValueKind == JsonValueKind.String)
            {
                joined.Append(source.GetString());
            }
            else if (source.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in source.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        joined.Append(part.GetString());
                    }
                }
            }
        }
        var text = joined.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }
        return text.Length == 0 ? [] : [.. text.Split('\n')];
    }

    /// <summary>
    /// The cell as IPython runs it: when its first line that is not blank is indented, that indentation is removed from
    /// every line starting with it (IPython's leading-indent cleanup: a cell pasted as ` from x import y` runs).
    /// </summary>
    private static List<string> WithoutLeadingIndent(List<string> lines)
    {
        var first = lines.Find(l => !string.IsNullOrWhiteSpace(l));
        var indent = first is null ? "" : first[..^first.TrimStart().Length];
        return indent.Length == 0 ? lines : [.. lines.Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l)];
    }

    /// <summary>
    /// <c>pip install x</c>, <c>cd data</c>: a magic's name followed by a word, which Python cannot parse (a name then
    /// another name or a literal); <c>time = 3</c>, <c>ls -la</c> and <c>run(x)</c> stay Python.
    /// </summary>
    private static bool IsAutomagic(string trimmed)
    {
        var space = trimmed.IndexOf(' ');
        if (space <= 0 || !AutomagicNames.Contains(trimmed[..space]))
        {
            return false;
        }
        var rest = trimmed[space..].TrimStart();
        var word = rest.Split(' ', 2)[0];
        return rest.Length > 0 && (char.IsLetterOrDigit(rest[0]) || rest[0] is '"' or '\'' or '/' or '~' or '$') && !PythonContinuations.Contains(word);
    }

    private static bool IsNonPythonCellMagic(string firstLine)
    {
        var trimmed = firstLine.TrimStart();
        if (!trimmed.StartsWith("%%", StringComparison.Ordinal))
        {
            return false;
        }
        var name = trimmed[2..].Split(' ', 2)[0];
        return !PythonBodyCellMagics.Contains(name);
    }
}
