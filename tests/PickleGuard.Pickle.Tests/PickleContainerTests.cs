using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Tests;

public class PickleContainerTests
{
    private static readonly PickleValue[] Three = [PickleValue.FromInt(1), PickleValue.FromInt(2), PickleValue.FromInt(3)];

    [Fact]
    public void A_container_keeps_its_items_in_order_across_runs()
    {
        var container = new PickleContainer(PickleValueKind.List);
        Assert.Equal(3, container.AddRange(Three, maxRetained: 100));
        container.Add(PickleValue.FromInt(4), maxRetained: 100);
        Assert.Equal(2, container.AddRange(Three[..2], maxRetained: 100));

        Assert.Equal([1L, 2, 3, 4, 1, 2], container.Items.Select(item => item.Scalar));
        Assert.Equal(6, container.Count);
        Assert.True(container.IsComplete);
    }

    [Fact]
    public void A_run_past_the_budget_is_counted_not_kept()
    {
        var container = new PickleContainer(PickleValueKind.Tuple);
        Assert.Equal(2, container.AddRange(Three, maxRetained: 2));

        Assert.Equal([1L, 2], container.Items.Select(item => item.Scalar));
        Assert.Equal(3, container.Count);
        Assert.False(container.IsComplete);
    }

    [Fact]
    public void A_small_tuple_gets_an_array_of_its_size()
    {
        // A pickle of many small tuples allocated an eight-slot array for each 3-tuple: half of its allocation.
        var tuples = new PickleContainer[1000];
        for (var i = 0; i < tuples.Length; i++)
        {
            tuples[i] = new PickleContainer(PickleValueKind.Tuple); // the objects themselves are not measured
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var tuple in tuples)
        {
            tuple.AddRange(Three, maxRetained: 100);
        }
        var perTuple = (GC.GetAllocatedBytesForCurrentThread() - before) / tuples.Length;

        Assert.True(perTuple <= 3 * 24 + 24, $"{perTuple} bytes allocated per 3-tuple"); // three 24-byte values and an array header
    }

    [Fact]
    public void A_recycled_tuple_reuses_its_array_and_forgets_its_items()
    {
        var tuple = new PickleContainer(PickleValueKind.Tuple);
        tuple.AddRange(Three, maxRetained: 100);
        tuple.Recycle(PickleValueKind.Tuple);
        Assert.Empty(tuple.Items);
        Assert.Equal(0, tuple.Count);

        var before = GC.GetAllocatedBytesForCurrentThread();
        tuple.AddRange([PickleValue.FromInt(7), PickleValue.FromInt(8), PickleValue.FromInt(9)], maxRetained: 100);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal([7L, 8, 9], tuple.Items.Select(item => item.Scalar));
        Assert.Equal(0, allocated);
    }
}
