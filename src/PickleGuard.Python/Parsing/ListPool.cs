namespace PickleGuard.Python;

/// <summary>Per-thread free lists of the scratch lists the parser fills before copying them into exact-size
/// arrays: most of the parser's garbage otherwise.</summary>
internal static class ListPool<T>
{
    private const int MaxPooled = 64;
    private const int MaxCapacity = 1024;

    [ThreadStatic]
    private static Stack<List<T>>? _free;

    public static List<T> Rent() => _free is { Count: > 0 } free ? free.Pop() : new List<T>();

    public static void Return(List<T> list)
    {
        if (list.Capacity > MaxCapacity)
        {
            return;
        }

        list.Clear();
        _free ??= new Stack<List<T>>();
        if (_free.Count < MaxPooled)
        {
            _free.Push(list);
        }
    }
}
