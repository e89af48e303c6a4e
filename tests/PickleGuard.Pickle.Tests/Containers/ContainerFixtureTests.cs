using System.Text.Json;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Tests.Containers;

/// <summary>
/// Every committed fixture (tools/fixtures/gen_containers.py) against the container layer alone: each malicious payload
/// must reach the pickle scanner (or the container must be reported), each benign file must raise nothing at medium or
/// above, and the container rules raised must be exactly those the manifest lists.
/// </summary>
public sealed class ContainerFixtureTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in Manifest().Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ContainerRulesAreExactlyTheExpectedOnes(string name)
    {
        var (result, _) = Scan(name);
        var expected = Manifest()[name];
        var raised = result.Findings.Select(f => f.RuleCode).Where(IsContainerCode).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, raised);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MaliciousPayloadReachesThePickleScannerOrTheFileIsFlagged(string name)
    {
        var (result, recorder) = Scan(name);
        var payloadSeen = recorder.Saw("system") || recorder.Saw("exec");
        var flagged = result.Findings.Any(f => f.Severity >= Severity.Medium);
        if (name.StartsWith("malicious/", StringComparison.Ordinal))
        {
            Assert.True(payloadSeen || flagged, $"{name}: payload never reached the pickle scanner and nothing was flagged");
        }
        else
        {
            Assert.False(payloadSeen);
            Assert.False(flagged, string.Join("; ", result.Findings.Select(f => f.Message)));
        }
    }

    [Fact]
    public void EveryFixtureFileIsInTheManifest()
    {
        var files = Directory.GetFiles(FixturePaths.Containers, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(FixturePaths.Containers, f).Replace('\\', '/'))
            .Where(f => f != "manifest.json")
            .Order(StringComparer.Ordinal);
        Assert.Equal(Manifest().Keys.Order(StringComparer.Ordinal), files);
        Assert.True(Manifest().Count >= 50);
    }

    private static (ArtifactScanResult Result, RecordingPickleScanner Recorder) Scan(string name)
    {
        var recorder = new RecordingPickleScanner();
        var result = new ArtifactScanner(recorder, ContainerLimits.Default).Scan(Path.Combine(FixturePaths.Containers, name));
        Assert.Empty(result.Errors);
        return (result, recorder);
    }

    private static bool IsContainerCode(string code) => ContainerRules.Find(code) is not null;

    private static Dictionary<string, string[]> Manifest()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixturePaths.Containers, "manifest.json")));
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToArray());
    }
}
