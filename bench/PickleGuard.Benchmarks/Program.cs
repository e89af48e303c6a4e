using BenchmarkDotNet.Running;
using PickleGuard.Benchmarks;

// dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --filter '*'    (BenchmarkDotNet)
// dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --cpu-time      (CPU-time throughput)
// The corpus is the CPython standard library (PICKLEGUARD_STDLIB, or python3's sysconfig stdlib).
if (args is ["--cpu-time"])
{
    CpuTimeRunner.Run(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(StdlibParseBenchmarks).Assembly).Run(args, new ThroughputConfig());
