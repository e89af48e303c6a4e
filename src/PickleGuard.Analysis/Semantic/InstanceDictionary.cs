using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// <c>obj.__dict__["name"]</c>: the item of an instance's attribute dictionary under a constant name is the attribute
/// of that name, <c>obj.name</c>. The binder and the taint analysis follow stores and reads through it as the
/// attribute's, so <c>self.__dict__["a"] = request.data</c> leaves <c>self.__dict__["b"]</c> clean.
/// </summary>
internal static class InstanceDictionary
{
    /// <summary>The owner and attribute name <paramref name="expr"/> addresses, when it is such an item; else null.</summary>
    public static (NameExpr Owner, string Attribute)? Item(Expr expr) =>
        expr is SubscriptExpr { Value: AttributeExpr { Attr: "__dict__", Value: NameExpr owner }, Slice: ConstantExpr { Value.Type: ConstantType.Str } key }
        && key.Value.AsString is { Length: > 0 } name && IsIdentifier(name)
            ? (owner, name)
            : null;

    private static bool IsIdentifier(string name)
    {
        if (!char.IsLetter(name[0]) && name[0] != '_')
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }
        return true;
    }
}
