using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace PickleGuard.Analysis;

/// <summary>
/// Runs many short parallel loops, one after the other, on a fixed team of threads: the caller and its helpers, each
/// with its own worker object. Between loops the helpers keep spinning for a moment before they sleep, so the next loop
/// finds them awake. The taint fixpoint runs one loop per call-graph level (about 320 per stdlib scan, most of them a
/// few milliseconds long); with <c>Parallel.For</c> each level handed its items to pool threads that had gone to sleep,
/// and waking them left about a tenth of the fixpoint's core time idle. Threads take runs of neighbouring items
/// (see <see cref="Work"/>): the fixpoint's neighbouring components come from one module, and taking them one at a
/// time in turns cost more than the idle time it saved (docs/benchmarks.md, nineteenth session).
/// </summary>
internal sealed class WorkerTeam<TWorker> : IDisposable where TWorker : class
{
    /// <summary>How long an idle helper spins for the next loop before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    private readonly Func<TWorker> _newWorker;
    private readonly TWorker?[] _workers;
    private readonly Thread[] _helpers;
    private readonly object _gate = new();
    private readonly CancellationToken _ct;

    // The current loop. Written by the caller before it bumps _loop; read by the helpers after they see the bump.
    private Action<int, TWorker>? _body;
    private int _count;
    private int _next;
    private int _helpersBusy;
    private int _loop;
    private bool _disposed;
    private ExceptionDispatchInfo? _failure;

    /// <param name="newWorker">Makes the worker object of a thread, on that thread, before its first item.</param>
    public WorkerTeam(int threads, Func<TWorker> newWorker, CancellationToken ct)
    {
        _newWorker = newWorker;
        _ct = ct;
        _workers = new TWorker?[Math.Max(1, threads)];
        _helpers = new Thread[_workers.Length - 1];
        for (var h = 0; h < _helpers.Length; h++)
        {
            var slot = h + 1;
            _helpers[h] = new Thread(() => HelperLoop(slot)) { IsBackground = true, Name = "pickleguard worker " + slot };
            _helpers[h].Start();
        }
    }

    /// <summary>Runs <paramref name="body"/> for items 0 to <paramref name="count"/> - 1, in any order and on any thread of the team.</summary>
    public void Run(int count, Action<int, TWorker> body)
    {
        _ct.ThrowIfCancellationRequested();
        if (count == 0)
        {
            return;
        }
        _body = body;
        _count = count;
        _next = 0;
        // A single item is not worth a helper's wake-up: they stay where they are (spinning or asleep).
        var helpers = count > 1 ? _helpers.Length : 0;
        _helpersBusy = helpers;
        if (helpers > 0)
        {
            lock (_gate)
            {
                _loop++;
                Monitor.PulseAll(_gate);
            }
        }
        Work(0);
        var spin = new SpinWait();
        while (Volatile.Read(ref _helpersBusy) > 0)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        _body = null;
        var failure = _failure;
        _failure = null;
        failure?.Throw();
        _ct.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var helper in _helpers)
        {
            helper.Join();
        }
    }

    private void HelperLoop(int slot)
    {
        var seen = 0;
        while (WaitForLoop(ref seen))
        {
            Work(slot);
            Interlocked.Decrement(ref _helpersBusy);
        }
    }

    /// <summary>Spins for a moment, then sleeps, until the caller starts a loop after <paramref name="seen"/>; false once the team is disposed.</summary>
    private bool WaitForLoop(ref int seen)
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        var spin = new SpinWait();
        while (Volatile.Read(ref _loop) == seen && !Volatile.Read(ref _disposed) && Stopwatch.GetTimestamp() < deadline)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        lock (_gate)
        {
            while (_loop == seen && !_disposed)
            {
                Monitor.Wait(_gate);
            }
            seen = _loop;
            return !_disposed;
        }
    }

    private void Work(int slot)
    {
        var body = _body!;
        var count = _count;
        try
        {
            var worker = _workers[slot] ??= _newWorker();
            while (true)
            {
                // Guided: a run of neighbouring items, a quarter of each thread's share of what is left, so that a
                // thread keeps to one stretch of the items (neighbours share their module's data) and the runs get
                // short towards the end, where one long item would otherwise keep the others waiting.
                var left = count - Volatile.Read(ref _next);
                var run = Math.Max(1, left / (4 * _workers.Length));
                var first = Interlocked.Add(ref _next, run) - run;
                if (first >= count)
                {
                    return;
                }
                for (var i = first; i < Math.Min(count, first + run); i++)
                {
                    if (_ct.IsCancellationRequested)
                    {
                        return;
                    }
                    body(i, worker);
                }
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            Volatile.Write(ref _next, count); // the others stop after their current item
        }
    }
}
