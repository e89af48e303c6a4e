using BenchmarkDotNet.Attributes;
using PickleGuard.Pickle;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Scans a 200 MB PyTorch-like zip checkpoint (50 stored 4 MiB tensors and a small data.pkl) end to end: zip
/// directory, every member sniffed, data.pkl through the pickle scanner. Tensor payloads are never read past their head.
/// Run: dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --filter '*ContainerBench*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ContainerBench
{
    private string directory = "";
    private string checkpoint = "";
    private ArtifactScanner scanner = null!;

    [GlobalSetup]
    public void Setup()
    {
        directory = Directory.CreateTempSubdirectory("pickleguard-bench-").FullName;
        checkpoint = Path.Combine(directory, "model.pt");
        ContainerBenchCheckpoint.Write(checkpoint, tensorCount: 50, tensorBytes: 4 << 20);
        scanner = new ArtifactScanner(new PickleScanner(PicklePolicy.Load("torch"), PickleLimits.Default), ContainerLimits.Default);
        var result = scanner.Scan(checkpoint);
        if (result.Findings.Count != 0 || result.Layout.Children.Count != 52)
        {
            throw new InvalidOperationException($"unexpected scan: {result.Layout.Children.Count} members; " + string.Join("; ", result.Findings.Select(f => f.RuleCode + " " + f.Location.DisplayPath + ": " + f.Message)));
        }
    }

    [Benchmark]
    public int ScanTorchZip200MB() => scanner.Scan(checkpoint).Layout.Children.Count;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(directory, recursive: true);
}
