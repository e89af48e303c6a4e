using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// The file a curl or wget command run by a call (<see cref="SourceModel.RunsCommand"/>) downloads into: the item after
/// curl's <c>-o</c>/<c>--output</c> or wget's <c>-O</c>/<c>--output-document</c> in a list or tuple command
/// (<c>["curl", "-L", url, "-o", path]</c>), or the one formatted value that is that word of a string command run by a
/// shell (<c>f"wget {url} -O {path}"</c>), also when a project helper runs it (FunctionAnalyzer.Commands.cs). Anything
/// else is no download into a file: another program, a command built elsewhere, no output option (curl writes to its
/// standard output), <c>-</c> (wget's standard output).
/// </summary>
internal static class DownloadCommand
{
    public static Expr? OutputFile(CallExpr call, SourceModel runner) =>
        Command(call, runner) is var (command, shell) ? OutputFile(command, shell) : null;

    /// <summary>
    /// The command a runner's call runs, and whether through a shell (null when that is computed at run time: no command
    /// is then followed); null when the call passes none.
    /// </summary>
    public static (Expr Command, bool? Shell)? Command(CallExpr call, SourceModel runner) =>
        runner.RunsCommand is { } selector && ArgumentFinder.Find(call, selector).Value is { } command
            ? (command, runner.ShellKeyword is not { } keyword ? true : ShellFlag(call, keyword))
            : null;

    /// <summary>The file <paramref name="command"/> downloads into when run through a shell or not, as <paramref name="shell"/> says.</summary>
    public static Expr? OutputFile(Expr command, bool? shell) => command switch
    {
        ListExpr list when shell == false => FromWords(ItemWords(list.Elts)),
        TupleExpr tuple when shell == false => FromWords(ItemWords(tuple.Elts)),
        ConstantExpr or JoinedStrExpr when shell == true => FromWords(Words(command)),
        _ => null,
    };

    /// <summary>Whether the call runs its command through a shell: false without the keyword, null when it is no constant.</summary>
    private static bool? ShellFlag(CallExpr call, string keyword)
    {
        foreach (var argument in call.Keywords)
        {
            if (argument.Arg == keyword)
            {
                return argument.Value is ConstantExpr { Value.Type: var type } && type is ConstantType.True or ConstantType.False
                    ? type == ConstantType.True
                    : null;
            }
            if (argument.Arg is null)
            {
                return null; // `**options` may hold it
            }
        }
        return false;
    }

    /// <summary>The options naming the output file, by the program: curl's <c>-O</c> and wget's <c>-o</c> are something else.</summary>
    private static string[]? OutputOptions(string? program) =>
        program is null ? null
        : program == "curl" || program.EndsWith("/curl", StringComparison.Ordinal) ? ["-o", "--output"]
        : program == "wget" || program.EndsWith("/wget", StringComparison.Ordinal) ? ["-O", "--output-document"]
        : null;

    private static string? Text(Expr expr) => expr is ConstantExpr constant ? constant.Value.AsString : null;

    /// <summary>
    /// A word of a command: its literal text (null when not constant) and the value it passes (null when not known: a
    /// <c>*</c> item, a word of a string command mixing text and values; a string command's literal word passes no file).
    /// </summary>
    private readonly record struct Word(string? Text, Expr? Value);

    /// <summary>The items of a list or tuple command as words: each item is one word and passes itself.</summary>
    private static List<Word> ItemWords(IReadOnlyList<Expr> items) =>
        [.. items.Select(item => new Word(Text(item), item is StarredExpr ? null : item))];

    private static Expr? FromWords(List<Word>? words)
    {
        if (words is null || words.Count == 0 || OutputOptions(words[0].Text) is not { } options)
        {
            return null;
        }
        for (var i = 1; i + 1 < words.Count; i++)
        {
            if (words[i].Text is { } option && options.Contains(option))
            {
                return words[i + 1].Text == "-" ? null : words[i + 1].Value;
            }
        }
        return null;
    }

    /// <summary>
    /// The words of a constant or f-string command, split at white space; a word holding a formatted value is that value
    /// alone (possibly quoted), or else unknown (null text and value). Null when the string is no plain command.
    /// </summary>
    private static List<Word>? Words(Expr command)
    {
        IReadOnlyList<Expr> parts = command is JoinedStrExpr joined ? joined.Values : [command];
        var words = new List<Word>();
        var literal = new System.Text.StringBuilder();
        var pieces = new List<Expr?>(); // the current word: its literal text in `literal`, its formatted values here
        foreach (var part in parts)
        {
            if (part is FormattedValueExpr formatted)
            {
                pieces.Add(formatted.Value);
                continue;
            }
            if (Text(part) is not { } text)
            {
                return null;
            }
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    EndWord(words, literal, pieces);
                }
                else
                {
                    literal.Append(c);
                    pieces.Add(null);
                }
            }
        }
        EndWord(words, literal, pieces);
        return words;
    }

    private static void EndWord(List<Word> words, System.Text.StringBuilder literal, List<Expr?> pieces)
    {
        if (pieces.Count == 0)
        {
            return;
        }
        var values = pieces.Where(p => p is not null).ToList();
        var text = literal.ToString();
        words.Add(values.Count == 0 ? new Word(text, null)
            : values.Count == 1 && text is "" or "\"\"" or "''" ? new Word(null, values[0])
            : new Word(null, null));
        literal.Clear();
        pieces.Clear();
    }
}
