using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A relative path is opened under the working directory: after <c>os.chdir(work_dir)</c> in the same function,
/// <c>open("job-instance.pickle")</c> reads whatever <c>work_dir</c> holds under that name (luigi's job runners), so
/// the literal is no longer the program's choice of file.
/// </summary>
internal static class WorkingDirectory
{
    /// <summary>Whether <paramref name="path"/> is a string literal naming a relative path (not <c>/srv/x</c>, <c>~/x</c>, <c>C:\x</c> or a URL).</summary>
    public static bool IsRelativeLiteral(Expr path) => path is ConstantExpr { Value.AsString: { } text } && IsRelative(text);

    /// <summary>Whether <paramref name="text"/> is a relative path (not empty, <c>/srv/x</c>, <c>~/x</c>, <c>C:\x</c> or a URL).</summary>
    public static bool IsRelative(string text) =>
        text.Length > 0 && text[0] is not ('/' or '\\' or '~') && !(text.Length > 1 && text[1] == ':') && !text.Contains("://", StringComparison.Ordinal);

    /// <summary>The directories <c>os.chdir</c> is given in <paramref name="scope"/>'s own code (not in nested functions).</summary>
    public static List<Expr> ChangedTo(Scope scope, ValueResolver resolver)
    {
        var directories = new List<Expr>();
        foreach (var site in scope.Module.Calls)
        {
            if (site.Scope == scope && site.Call is { Func: AttributeExpr { Attr: "chdir" } or NameExpr { Id: "chdir" }, Args: [var directory, ..] }
                && resolver.Resolve(site.Call.Func, EvalContext.At(site)).Any(value => value is ApiValue { Path: "os.chdir" }))
            {
                directories.Add(directory);
            }
        }
        return directories;
    }
}
