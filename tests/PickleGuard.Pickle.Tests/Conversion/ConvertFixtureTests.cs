namespace PickleGuard.Pickle.Tests.Conversion;

/// <summary>
/// Every fixture of tools/fixtures/gen_convert.py converts to its committed expected JSON (which the Python oracle,
/// tests/oracle/convert_roundtrip.py, checked against the original values).
/// </summary>
public sealed class ConvertFixtureTests
{
    public static TheoryData<string, string, string> Fixtures()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(ConvertHelper.ConvertFixtures, "manifest.tsv")).Where(l => !l.StartsWith('#')))
        {
            var columns = line.Split('\t');
            data.Add(columns[0], columns[3], columns[4]);
        }

        return data;
    }

    [Fact]
    public void ManifestCoversEveryProtocolAndTheNumpyCases()
    {
        var files = Fixtures().Select(row => (string)row[0]).ToList();
        Assert.True(files.Count >= 100, $"only {files.Count} fixtures");
        for (int protocol = 0; protocol <= 5; protocol++)
        {
            Assert.Contains($"datetimes_p{protocol}.pkl", files);
        }

        Assert.Contains("numpy_f8_2x2_p2.pkl", files);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ConvertsToTheExpectedJson(string file, string profile, string allowed)
    {
        var options = allowed == "-" ? null : ConvertHelper.Allowing(allowed.Split(','));
        var (result, json, _) = ConvertHelper.RunFile(Path.Combine(ConvertHelper.ConvertFixtures, file), profile, options);

        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        var expected = File.ReadAllText(Path.Combine(ConvertHelper.ConvertFixtures, Path.GetFileNameWithoutExtension(file) + ".expected.json"));
        Assert.Equal(expected, json);
    }
}
