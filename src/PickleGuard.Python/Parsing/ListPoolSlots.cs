namespace PickleGuard.Python;

/// <summary>The calling thread's free lists of <see cref="ListPool{T}"/>, one slot for each T.</summary>
internal static class ListPoolSlots
{
    private static int _count;

    [ThreadStatic]
    private static object?[]? _slots;

    public static int Next() => Interlocked.Increment(ref _count) - 1;

    public static object? At(int slot) => _slots is { } slots && slot < slots.Length ? slots[slot] : null;

    public static TFree Add<TFree>(int slot, TFree free)
        where TFree : class
    {
        object?[] slots = _slots ??= new object?[16];
        if (slot >= slots.Length)
        {
            Array.Resize(ref slots, Math.Max(slot + 1, slots.Length * 2));
            _slots = slots;
        }

        slots[slot] = free;
        return free;
    }
}
