using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace PickleGuard.Benchmarks;

/// <summary>
/// A short job (the machine is shared: one warm-up, five measured operations, each a whole pass over
/// the corpus) plus MB/s columns from the mean and from the fastest operation.
/// </summary>
internal sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
        AddColumn(new ThroughputColumn(fromFastest: false), new ThroughputColumn(fromFastest: true));
    }
}
