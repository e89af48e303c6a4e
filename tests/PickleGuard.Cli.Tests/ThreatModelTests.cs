using System.Text.Json;

namespace PickleGuard.Cli.Tests;

/// <summary><c>--threat-model</c> chooses the source kinds the taint engine follows (issue: step 3, sources by kind).</summary>
public sealed class ThreatModelTests
{
    private const string Route = """
        import pickle
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/load", methods=["POST"])
        def load():
            return pickle.loads(request.get_data())
        """;

    [Theory]
    [InlineData(null, "high")]
    [InlineData("remote", "high")]
    [InlineData("local", "medium")]
    [InlineData("none", "medium")]
    [InlineData("local,remote", "high")]
    public void RemoteSourceIsHighOnlyWhenTheThreatModelFollowsIt(string? threatModel, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Root, "app.py"), Route);
        string[] args = threatModel is null
            ? ["scan", ".", "--format", "json"]
            : ["scan", ".", "--format", "json", "--threat-model", threatModel];

        Assert.Equal(expected, RouteSeverity(dir.Root, args));
    }

    [Fact]
    public void UnknownKindIsAUsageError()
    {
        var result = CliRunner.Run("scan", ".", "--threat-model", "intranet");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown threat model 'intranet'", result.Error);
    }

    [Theory]
    [InlineData("threat-model = \"local\"", null, "medium")]
    [InlineData("threat-model = [\"network-data\", \"local\"]", null, "medium")]
    [InlineData("threat-model = [\"remote\"]", null, "high")]
    [InlineData("threat-model = \"none\"", "remote", "high")]
    [InlineData("threat-model = \"local\"", "local,remote", "high")]
    [InlineData("threat-model = \"remote\"", "none", "medium")]
    public void ConfiguredThreatModelAppliesAndTheCommandLineOverridesIt(string setting, string? cli, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Root, "app.py"), Route);
        File.WriteAllText(Path.Combine(dir.Root, "pyproject.toml"), "[tool.pickleguard]\n" + setting + "\n");
        string[] args = cli is null
            ? ["scan", ".", "--format", "json"]
            : ["scan", ".", "--format", "json", "--threat-model", cli];

        Assert.Equal(expected, RouteSeverity(dir.Root, args));
    }

    [Theory]
    [InlineData("threat-model = \"intranet\"", "unknown threat model 'intranet'")]
    [InlineData("threat-model = 3", "expected a string or an array of strings")]
    [InlineData("threat-model = [\"remote\", 1]", "expected an array of strings")]
    public void BadConfiguredThreatModelIsAConfigurationErrorNamingTheKey(string setting, string problem)
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Root, "app.py"), Route);
        File.WriteAllText(Path.Combine(dir.Root, "pyproject.toml"), "[tool.pickleguard]\n" + setting + "\n");

        var result = CliRunner.RunIn(dir.Root, "scan", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("threat-model", result.Error);
        Assert.Contains(problem, result.Error);
    }

    /// <summary>Runs the scan and returns the severity of the route's single PG101 finding.</summary>
    private static string? RouteSeverity(string root, string[] args)
    {
        var result = CliRunner.RunIn(root, args);
        Assert.Equal(1, result.ExitCode);
        using var report = JsonDocument.Parse(result.Out);
        var finding = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("rule").GetString() == "PG101");
        return finding.GetProperty("severity").GetString();
    }
}
