namespace PickleGuard.Pickle.Containers;

/// <summary>Runs the symbolic machine over content to learn whether it is a pickle at all (nothing is reported).</summary>
internal static class PickleProbe
{
    private static readonly PickleScanner Scanner = new(PicklePolicy.Load("plain"), PickleLimits.Default);

    /// <summary>
    /// True when a pickle runs to its STOP, or when a global with a dotted-identifier name is imported before the bytes
    /// stop making sense (text that merely starts with 'c' names no such global: "class Foo:" is not a module).
    /// </summary>
    public static bool ReadsAsPickle(Stream stream)
    {
        var run = Scanner.Execute(stream);
        return run.PickleCount > 0 || run.Globals.Any(g => IsDottedName(g.Module) && IsDottedName(g.Name));
    }

    /// <summary>
    /// True when the content never reaches STOP, calls nothing it imports, imports nothing the policy denies, and its
    /// only problem is that it is malformed: no persistent id or extension code is looked up (the loading program's
    /// hooks could return a callable) and no limit cut the run short — so the unpickler raises before it has anything
    /// to call (a global it imports and never calls is reported as unvetted, and that alone keeps it inert). A text line
    /// starting with 'c' reads as a GLOBAL import (a requirements.txt's "celery\npylibmc\n" imports
    /// `elery.pylibmc`): such a name is no module anybody ships, while a module whose import alone does harm
    /// (`idlelib.idle`) is on the deny list and keeps the file an artifact. For the same reason a call of a global whose
    /// module or name is no dotted identifier calls nothing: the lookup fails first (a MyST Markdown page's first line
    /// `(index)=` is MARK, then INST of the attribute "" of a module `ndex)=`).
    /// </summary>
    public static bool CannotCallAnything(Stream stream)
    {
        var run = Scanner.Execute(stream);
        return run.PickleCount == 0
            && run.Globals.All(g => g.Verdict is GlobalVerdict.Allowed or GlobalVerdict.Unvetted
                && (g.CallCount == 0 || !IsDottedName(g.Module) || !IsDottedName(g.Name)))
            // An unvetted global merely named (also past the point where the read broke) is reported as PG202; with no
            // call it runs nothing, as the globals test above says.
            && run.Problems.All(p => p.RuleCode is PickleRules.Malformed or PickleRules.UnvettedGlobal);
    }

    private static bool IsDottedName(string text) =>
        text.Length > 0 && text.Split('.').All(part => part.Length > 0 && (char.IsAsciiLetter(part[0]) || part[0] == '_')
            && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));
}
