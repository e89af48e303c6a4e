using System.Text.Json;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Tests.Containers;

/// <summary>
/// Every container fixture through the real pickle scanner: zero missed malicious files, zero flagged benign files
/// (benign = no finding at medium or above under the profile the manifest names).
/// </summary>
public sealed class EndToEndFixtureTests
{
    /// <summary>
    /// Benign fixtures the pickle layer's policy still flags (SPURIOUS, as in inline-expectation suites): the exact codes
    /// are asserted, so fixing the policy makes this test fail until the entry is removed.
    /// </summary>
    private static readonly Dictionary<string, string[]> KnownSpurious = new(StringComparer.Ordinal)
    {
    };

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixturePaths.Containers, "manifest.json")));
        foreach (var entry in document.RootElement.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            data.Add(entry.Name, entry.Value.GetProperty("profile").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MaliciousIsFlaggedAndBenignIsNot(string name, string profile)
    {
        var scanner = new ArtifactScanner(new PickleScanner(PicklePolicy.Load(profile), PickleLimits.Default), ContainerLimits.Default);
        var result = scanner.Scan(Path.Combine(FixturePaths.Containers, name));
        var serious = result.Findings.Where(f => f.Severity >= Severity.Medium).ToList();
        if (name.StartsWith("malicious/", StringComparison.Ordinal))
        {
            Assert.NotEmpty(serious);
        }
        else if (KnownSpurious.TryGetValue(name, out var spurious))
        {
            Assert.Equal(spurious, serious.Select(f => f.RuleCode).Distinct().Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.True(serious.Count == 0,
                string.Join("\n", serious.Select(f => $"{f.RuleCode} {f.Location.DisplayPath}@{f.Location.ByteOffset}: {f.Message}")));
        }
    }

    [Theory]
    [InlineData("malicious/torch_data_pkl.pt", "archive/data.pkl")]
    [InlineData("malicious/torch_payload_not_pkl.pt", "archive/extra/config")]
    [InlineData("malicious/torch_name_mismatch.pt", "archive/notes.txt")]
    [InlineData("malicious/nested.tar", "bundle/inner.zip!payload.pkl.gz")]
    [InlineData("malicious/nullifai_model.7z", "model.pt!archive/data.pkl")]
    [InlineData("malicious/object_member.npz", "b.npy")]
    public void TheDangerousGlobalIsReportedInTheMemberThatHoldsIt(string name, string member)
    {
        var scanner = new ArtifactScanner(new PickleScanner(PicklePolicy.Load("plain"), PickleLimits.Default), ContainerLimits.Default);
        var result = scanner.Scan(Path.Combine(FixturePaths.Containers, name));
        Assert.Contains(result.Findings, f => f.Severity == Severity.High && f.Callable is "os.system" or "posix.system" && f.Location.Member == member);
    }
}
