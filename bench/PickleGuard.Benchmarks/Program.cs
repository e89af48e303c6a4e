using BenchmarkDotNet.Running;
using PickleGuard.Benchmarks;

// dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --filter '*'    (BenchmarkDotNet)
// dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --cpu-time [operation...]   (CPU-time throughput)
// dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --pickle-cpu-time [MB]   (pickle scan, CPU time)
// dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --write-pickle PATH MB   (that pickle corpus, to a file)
// The corpus is the CPython standard library (PICKLEGUARD_STDLIB, or python3's sysconfig stdlib).
if (args is ["--cpu-time", ..])
{
    CpuTimeRunner.Run(Console.Out, args[1..]);
    return;
}
if (args is ["--pickle-cpu-time", ..])
{
    PickleCpuTimeRunner.Run(Console.Out, args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
    return;
}
if (args is ["--write-pickle", var corpusPath, var corpusMegabytes])
{
    using var corpus = File.Create(corpusPath);
    PickleBenchCorpus.Write(corpus, long.Parse(corpusMegabytes, System.Globalization.CultureInfo.InvariantCulture) * 1000 * 1000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(StdlibParseBenchmarks).Assembly).Run(args, new ThroughputConfig());
