namespace PickleGuard.Analysis.Tests;

/// <summary>
/// The team that runs the taint fixpoint's levels: every item of every loop runs once, a worker object is never used by
/// two threads at a time, and a failure or a cancellation reaches the caller.
/// </summary>
public sealed class WorkerTeamTests
{
    private sealed class Worker
    {
        public int InUse;
        public int Items;
    }

    [Fact]
    public void EveryItemOfEveryLoopRunsOnce()
    {
        var made = new System.Collections.Concurrent.ConcurrentBag<Worker>();
        using var team = new WorkerTeam<Worker>(4, () =>
        {
            var worker = new Worker();
            made.Add(worker);
            return worker;
        }, CancellationToken.None);
        // Many short loops back to back, as the fixpoint's levels are, with the sizes a level can have (none, one, many).
        for (var loop = 0; loop < 300; loop++)
        {
            var count = SizeOfLoop(loop);
            var runs = new int[count];
            team.Run(count, (i, worker) =>
            {
                Assert.Equal(0, Interlocked.Exchange(ref worker.InUse, 1)); // no other thread holds this worker
                Interlocked.Increment(ref runs[i]);
                worker.Items++;
                Thread.SpinWait(200);
                Volatile.Write(ref worker.InUse, 0);
            });
            Assert.All(runs, r => Assert.Equal(1, r));
        }
        // One worker per thread that took part, each made once.
        Assert.InRange(made.Count, 1, 4);
        Assert.Equal(made.Sum(w => w.Items), Enumerable.Range(0, 300).Sum(SizeOfLoop));
    }

    private static int SizeOfLoop(int loop) => loop % 7 == 0 ? 0 : loop % 5 == 0 ? 1 : loop % 50 + 2;

    [Fact]
    public void AFailingItemsExceptionReachesTheCallerAndTheTeamGoesOn()
    {
        using var team = new WorkerTeam<Worker>(2, () => new Worker(), CancellationToken.None);
        var error = Assert.Throws<InvalidOperationException>(() =>
            team.Run(100, (i, _) =>
            {
                if (i == 37)
                {
                    throw new InvalidOperationException("item 37");
                }
            }));
        Assert.Equal("item 37", error.Message);
        var runs = 0;
        team.Run(10, (_, _) => Interlocked.Increment(ref runs));
        Assert.Equal(10, runs);
    }

    [Fact]
    public void ACancelledScanStopsTheLoop()
    {
        using var cancel = new CancellationTokenSource();
        using var team = new WorkerTeam<Worker>(2, () => new Worker(), cancel.Token);
        var runs = 0;
        Assert.Throws<OperationCanceledException>(() =>
            team.Run(10_000, (i, _) =>
            {
                if (Interlocked.Increment(ref runs) == 10)
                {
                    cancel.Cancel();
                }
            }));
        Assert.True(runs < 10_000, $"{runs} items ran after the cancellation");
    }

    [Fact]
    public void ATeamOfOneRunsEverythingOnTheCallersThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        using var team = new WorkerTeam<Worker>(1, () => new Worker(), CancellationToken.None);
        var elsewhere = 0;
        team.Run(50, (_, _) =>
        {
            if (Environment.CurrentManagedThreadId != caller)
            {
                Interlocked.Increment(ref elsewhere);
            }
        });
        Assert.Equal(0, elsewhere);
    }

    [Fact]
    public async Task AOneTaskSchedulerAllowsOneThread()
    {
        // ScanDeterminismTests runs a scan on such a scheduler to compare one thread with many: the team must follow it.
        var exclusive = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1).ExclusiveScheduler;
        var threads = await Task.Factory.StartNew(() => ScanParallelism.Threads, CancellationToken.None, TaskCreationOptions.None, exclusive);
        Assert.Equal(1, threads);
    }
}
