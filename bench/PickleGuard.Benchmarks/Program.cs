using BenchmarkDotNet.Running;
using PickleGuard.Benchmarks;

// dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --filter '*'
// The corpus is the CPython standard library (PICKLEGUARD_STDLIB, or python3's sysconfig stdlib).
BenchmarkSwitcher.FromAssembly(typeof(StdlibParseBenchmarks).Assembly).Run(args, new ThroughputConfig());
