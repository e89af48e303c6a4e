using PickleGuard.Cli.Discovery;
using PickleGuard.Cli.Inputs;
using PickleGuard.Core;
using PickleGuard.Pickle;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Cli.Scanning;

/// <summary>Scans serialized artifacts in parallel with one shared (thread-safe) scanner.</summary>
internal static class ArtifactScanning
{
    public static (IReadOnlyList<Finding> Findings, IReadOnlyList<InputError> Errors) Scan(IReadOnlyList<DiscoveredFile> files, PicklePolicy policy)
    {
        var scanner = new ArtifactScanner(new PickleScanner(policy, PickleLimits.Default), ContainerLimits.Default);
        var results = ParallelFiles.Map(files, file => scanner.Scan(file.Path));
        return ([.. results.SelectMany(r => r.Findings)], [.. results.SelectMany(r => r.Errors)]);
    }
}
