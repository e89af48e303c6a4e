using System.Runtime.CompilerServices;

namespace PickleGuard.Python;

/// <summary>Per-thread free lists of the scratch lists the parser fills before copying them into exact-size
/// arrays: most of the parser's garbage otherwise.</summary>
internal static class ListPool<T>
{
    private const int MaxPooled = 64;
    private const int MaxCapacity = 1024;

    // Where this T's free list sits in the thread's array of them (ListPoolSlots). A [ThreadStatic] field of this generic
    // class would be found through a runtime lookup on every rent and return (about 60 instructions in the AOT build,
    // 1.6 % of a sink-only scan of the stdlib); the thread's array is a non-generic thread static, at a fixed offset.
    private static readonly int Slot = ListPoolSlots.Next();

    public static List<T> Rent() => Free() is { Count: > 0 } free ? free.Pop() : new List<T>();

    public static void Return(List<T> list)
    {
        if (list.Capacity > MaxCapacity)
        {
            return;
        }

        list.Clear();
        Stack<List<T>> free = Free() ?? ListPoolSlots.Add(Slot, new Stack<List<T>>());
        if (free.Count < MaxPooled)
        {
            free.Push(list);
        }
    }

    // Unchecked: the slot only ever holds this T's free list (ListPoolSlots.Add).
    private static Stack<List<T>>? Free() => Unsafe.As<Stack<List<T>>?>(ListPoolSlots.At(Slot));
}
