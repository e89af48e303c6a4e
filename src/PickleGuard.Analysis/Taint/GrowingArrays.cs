namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Lists kept as an array and a count, the array grown from one element: for the many small lists of the taint index
/// (most hold one item), where a <see cref="List{T}"/> cost an object and four slots each.
/// </summary>
internal static class GrowingArrays
{
    public static void Append<T>(ref T[]? items, ref int count, T item)
    {
        if (items is null || count == items.Length)
        {
            Array.Resize(ref items, Math.Max(1, count * 2));
        }
        items[count++] = item;
    }
}
