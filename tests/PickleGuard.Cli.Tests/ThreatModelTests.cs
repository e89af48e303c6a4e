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

        var result = CliRunner.RunIn(dir.Root, args);

        Assert.Equal(1, result.ExitCode);
        using var report = JsonDocument.Parse(result.Out);
        var finding = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("rule").GetString() == "PG101");
        Assert.Equal(expected, finding.GetProperty("severity").GetString());
    }

    [Fact]
    public void UnknownKindIsAUsageError()
    {
        var result = CliRunner.Run("scan", ".", "--threat-model", "intranet");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown threat model 'intranet'", result.Error);
    }
}
