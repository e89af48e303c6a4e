using System.Text.Json;
using PickleGuard.Pickle.Conversion;

namespace PickleGuard.Pickle.Tests.Conversion;

/// <summary>
/// Every malicious fixture of the scanner (tests/fixtures/pickles/malicious, tests/fixtures/containers/malicious) is
/// refused — under its own profile and under the most permissive one — with the global and offset named, and nothing
/// is written.
/// </summary>
public sealed class ConvertRefusalTests
{
    private static string Fixtures => Path.Combine(ConvertHelper.Root, "tests", "fixtures");

    public static TheoryData<string, string, string> MaliciousPickles()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(Fixtures, "pickles", "manifest.tsv")).Where(l => !l.StartsWith('#')))
        {
            var c = line.Split('\t');
            if (c[1] == "malicious")
            {
                data.Add(c[0], c[2], c[3]);
                // Under torch, ('storage', ...) persistent ids are vetted by design: PG208-only fixtures are malicious under plain.
                if (c[2] != "torch" && c[3] != "PG208")
                {
                    data.Add(c[0], "torch", c[3]);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string> MaliciousContainers()
    {
        var data = new TheoryData<string, string>();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "containers", "manifest.json")));
        foreach (var entry in manifest.RootElement.EnumerateObject().Where(e => e.Name.StartsWith("malicious/", StringComparison.Ordinal)))
        {
            foreach (var profile in new[] { "plain", "torch", "sklearn" })
            {
                data.Add(entry.Name, profile);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MaliciousPickles))]
    public void MaliciousPickleIsRefusedWithGlobalAndOffset(string file, string profile, string expectedRules)
    {
        var (result, json, opened) = ConvertHelper.RunFile(Path.Combine(Fixtures, "pickles", file), profile);

        Assert.False(result.Converted);
        Assert.False(opened);
        Assert.Null(json);
        Assert.Equal(0, result.BytesWritten);
        Assert.NotEmpty(result.Refusals);
        Assert.All(result.Refusals, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        var rules = expectedRules.Split(',');
        if (rules.Any(r => r is "PG201" or "PG202" or "PG203"))
        {
            var named = result.Refusals.Where(r => r.Global is not null && r.Where.ByteOffset is not null).ToList();
            Assert.NotEmpty(named);
            Assert.Contains(named, r => rules.Contains(r.Code) || r.Code is "PG201" or "PG202" or "PG203");
        }
        else
        {
            Assert.Contains(result.Refusals, r => r.Where.ByteOffset is not null && rules.Contains(r.Code));
        }
    }

    [Theory]
    [MemberData(nameof(MaliciousContainers))]
    public void MaliciousContainerIsRefused(string file, string profile)
    {
        var (result, _, opened) = ConvertHelper.RunFile(Path.Combine(Fixtures, "containers", file), profile);

        Assert.False(result.Converted);
        Assert.False(opened);
        Assert.NotEmpty(result.Refusals);
        Assert.Contains(result.Refusals, r => r.Where.ByteOffset is not null || r.Code.StartsWith("PG22", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusedConversionsToFilesLeaveNoFileBehind()
    {
        var directory = Directory.CreateTempSubdirectory("pickleguard-refuse-").FullName;
        try
        {
            var existing = Path.Combine(directory, "existing.json");
            File.WriteAllText(existing, "old");
            foreach (var row in MaliciousPickles())
            {
                var file = (string)row[0];
                var converter = ConvertHelper.Converter((string)row[1]);
                Assert.False(converter.ConvertToFile(Path.Combine(Fixtures, "pickles", file), Path.Combine(directory, Path.GetFileName(file) + ".json")).Converted);
                Assert.False(converter.ConvertToFile(Path.Combine(Fixtures, "pickles", file), existing).Converted);
            }

            Assert.Equal(["existing.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
            Assert.Equal("old", File.ReadAllText(existing));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void DangerousGlobalsCanNeverBeAllowed()
    {
        var policy = Scan.Policy("plain");
        Assert.Contains("dangerous", PickleJsonConverter.CheckAllowable(policy, "os.system"));
        Assert.Contains("dangerous", PickleJsonConverter.CheckAllowable(policy, "builtins.eval"));
        Assert.Contains("module.Class", PickleJsonConverter.CheckAllowable(policy, "Point"));
        Assert.Null(PickleJsonConverter.CheckAllowable(policy, "geometry.Point"));

        // Even a caller that skips the check cannot let a dangerous global through: only PG202 is ever accepted.
        var pickle = Asm.Call4("os", "system", "true");
        var (result, _, opened) = ConvertHelper.Run(pickle, options: ConvertHelper.Allowing("os.system"));
        Assert.False(result.Converted);
        Assert.False(opened);
        var refusal = Assert.Single(result.Refusals, r => r.Code == "PG201");
        Assert.Equal("os.system", refusal.Global);
        Assert.Equal(16, refusal.Where.ByteOffset);
    }
}
