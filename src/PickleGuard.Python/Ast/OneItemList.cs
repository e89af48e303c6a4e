namespace PickleGuard.Python;

/// <summary>
/// What a node that is also the list of just itself (<see cref="Expr"/>, <see cref="Stmt"/>) answers as that list. The
/// parser stores a list of one expression or statement (a call's only argument, an assignment's only target, a block of
/// one statement) as the item itself instead of a one-slot array: a third of the tree's lists, 32 bytes each.
/// </summary>
internal static class OneItemList
{
    public static T At<T>(T item, int index) => index == 0 ? item : throw new ArgumentOutOfRangeException(nameof(index));

    public static IEnumerator<T> Enumerate<T>(T item)
    {
        yield return item;
    }
}
