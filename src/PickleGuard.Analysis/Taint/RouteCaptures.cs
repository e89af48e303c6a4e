using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a URL route gives its view besides the request (docs/taint.md, "Django views"): the names a literal route
/// captures, and the keys of a literal dict of keyword arguments the program supplies itself.
/// </summary>
internal static class RouteCaptures
{
    private const int MaxRouteLength = 4_096;

    /// <summary>
    /// The keyword names <paramref name="route"/> captures; null when they cannot be read (not a string literal, too
    /// long, or a regex whose groups are unnamed: Django then passes them by position).
    /// </summary>
    public static IReadOnlySet<string>? Names(Expr? route, RouteSyntax syntax)
    {
        if (route is not ConstantExpr { Value.Type: ConstantType.Str } literal || literal.Value.AsString is not { Length: <= MaxRouteLength } text)
        {
            return null;
        }
        return syntax == RouteSyntax.DjangoPath ? PathNames(text) : RegexNames(text);
    }

    /// <summary>The string keys of a dict literal (<c>kwargs={"mode": "x"}</c>); null when it is not one or a key is not a string literal.</summary>
    public static IReadOnlySet<string>? FixedKeys(Expr? dict)
    {
        if (dict is not DictExpr literal)
        {
            return null;
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in literal.Keys)
        {
            if (key is not ConstantExpr { Value.Type: ConstantType.Str } constant || constant.Value.AsString is not { } name)
            {
                return null; // `**other` or a computed key: which names the program fixes is unknown
            }
            keys.Add(name);
        }
        return keys;
    }

    /// <summary><c>"item/&lt;str:blob&gt;/&lt;pk&gt;"</c> → blob, pk (Django's <c>&lt;converter:name&gt;</c> and <c>&lt;name&gt;</c>).</summary>
    private static HashSet<string>? PathNames(string route)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var open = route.IndexOf('<'); open >= 0; open = route.IndexOf('<', open + 1))
        {
            var close = route.IndexOf('>', open + 1);
            if (close < 0)
            {
                return null;
            }
            var inner = route.AsSpan(open + 1, close - open - 1);
            var name = inner[(inner.IndexOf(':') + 1)..].Trim().ToString();
            if (!ApiPath.IsIdentifier(name))
            {
                return null; // Django rejects such a route; do not guess what it captures
            }
            names.Add(name);
        }
        return names;
    }

    /// <summary>Named groups <c>(?P&lt;name&gt;...)</c>; null when some group is unnamed and none is named (passed by position).</summary>
    private static HashSet<string>? RegexNames(string pattern)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var unnamed = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++; // an escaped character is never a group or a class bracket
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '(' && pattern.AsSpan(i).StartsWith("(?P<"))
            {
                var close = pattern.IndexOf('>', i + 4);
                if (close < 0)
                {
                    return null;
                }
                names.Add(pattern[(i + 4)..close]);
            }
            else if (c == '(' && (i + 1 >= pattern.Length || pattern[i + 1] != '?'))
            {
                unnamed++;
            }
        }
        // Django: named groups are passed as keyword arguments and unnamed ones ignored; without named groups the
        // unnamed ones are passed by position.
        return names.Count == 0 && unnamed > 0 ? null : names;
    }
}
