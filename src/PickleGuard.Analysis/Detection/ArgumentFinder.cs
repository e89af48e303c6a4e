using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>Finds the argument a model selects (by keyword first, then by position) in a call.</summary>
internal static class ArgumentFinder
{
    public static (ArgumentKind Kind, Expr? Value) Find(CallExpr call, ArgumentSelector selector)
    {
        if (selector is { Position: null, Keyword: null })
        {
            return (ArgumentKind.Missing, null); // a condition on what the library always uses (yaml.safe_load's loader)
        }
        if (selector.Keyword is { } keyword)
        {
            foreach (var argument in call.Keywords)
            {
                if (argument.Arg == keyword)
                {
                    return (ArgumentKind.Found, argument.Value);
                }
            }
        }
        if (selector.Position is { } position)
        {
            for (var i = 0; i < call.Args.Count; i++)
            {
                if (call.Args[i] is StarredExpr)
                {
                    return (ArgumentKind.Unknowable, null);
                }
                if (i == position)
                {
                    return (ArgumentKind.Found, call.Args[i]);
                }
            }
        }
        return call.Keywords.Any(k => k.Arg is null) ? (ArgumentKind.Unknowable, null) : (ArgumentKind.Missing, null);
    }
}
