using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The type expressions an annotation names: <c>Redis</c>; each member of <c>Optional[Redis]</c>,
/// <c>Union[Redis, None]</c>, <c>Redis | None</c>, the first argument of <c>Annotated[Redis, ...]</c>, the class of a
/// generic (<c>Redis[bytes]</c>); and the dotted
/// names of a quoted annotation (<c>'Redis'</c>, <c>'redis.Redis | None'</c>, forward references) as the names they
/// spell, resolved where the annotation is. Other quoted forms (<c>'Optional[Redis]'</c>) are not parsed.
/// </summary>
internal static class AnnotationTypes
{
    private const int MaxDepth = 4;

    public static IEnumerable<Expr> Of(Expr annotation) => Of(annotation, 0);

    private static IEnumerable<Expr> Of(Expr annotation, int depth)
    {
        if (depth > MaxDepth)
        {
            yield break;
        }
        switch (annotation)
        {
            case BinOpExpr { Op: BinaryOperator.BitOr } union:
                foreach (var member in Of(union.Left, depth + 1).Concat(Of(union.Right, depth + 1)))
                {
                    yield return member;
                }
                break;
            case SubscriptExpr { Value: var generic } subscript when LastName(generic) is "type" or "Type":
                yield return subscript; // `type[Container]`: the class, not an instance (ValueResolver.AnnotatedInstances)
                break;
            case SubscriptExpr { Value: var generic } when LastName(generic) is not ("Optional" or "Union" or "Annotated"):
                yield return generic; // `Redis[bytes]`: the generic class itself
                break;
            case SubscriptExpr { Value: var generic } subscript:
                var arguments = subscript.Slice is TupleExpr tuple ? tuple.Elts : [subscript.Slice];
                foreach (var argument in LastName(generic) == "Annotated" ? arguments.Take(1) : arguments)
                {
                    foreach (var member in Of(argument, depth + 1))
                    {
                        yield return member;
                    }
                }
                break;
            case ConstantExpr { Value.Type: ConstantType.Str } quoted:
                foreach (var part in quoted.Value.AsString!.Split('|'))
                {
                    if (DottedName(part, quoted.Span) is { } spelled)
                    {
                        yield return spelled;
                    }
                }
                break;
            default:
                yield return annotation;
                break;
        }
    }

    /// <summary>
    /// <c>'redis.Redis'</c> as the expression <c>redis.Redis</c> (at the string's position), or null; a generic's
    /// arguments are dropped (<c>'Redis[bytes]'</c> is <c>Redis</c>).
    /// </summary>
    private static Expr? DottedName(string text, TextSpan span)
    {
        var bracket = text.IndexOf('[', StringComparison.Ordinal);
        var parts = (bracket >= 0 ? text[..bracket] : text).Trim().Split('.');
        if (parts.Any(part => part.Length == 0 || !part.All(c => char.IsLetterOrDigit(c) || c == '_') || char.IsDigit(part[0])))
        {
            return null;
        }
        Expr result = new NameExpr(span, parts[0], ExprContext.Load);
        foreach (var part in parts.Skip(1))
        {
            result = new AttributeExpr(span, result, part, ExprContext.Load);
        }
        return result;
    }

    private static string? LastName(Expr expr) => expr switch
    {
        NameExpr name => name.Id,
        AttributeExpr attribute => attribute.Attr,
        _ => null,
    };
}
