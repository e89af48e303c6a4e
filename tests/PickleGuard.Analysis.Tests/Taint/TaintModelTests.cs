using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

public sealed class TaintModelTests
{
    private const string Header = "schema = 1\nversion = \"1\"\nlibrary = \"mine\"\n";

    [Fact]
    public void BuiltInSourcesAndSanitizersLoad()
    {
        Assert.Empty(ModelSet.BuiltInErrors);
        var taint = ModelSet.BuiltIn.Taint;
        Assert.Equal(("remote", "flask.request.cookies"), taint.SourceFor("flask.request.cookies.get()") is { } s ? (s.Model.Kind, s.Name) : default);
        Assert.Equal("socket.socket().recv", taint.SourceFor("socket.socket().recv()")?.Name);
        Assert.Null(taint.SourceFor("flask.request.method"));
        Assert.Equal(SanitizerEffect.Guard, taint.SanitizerFor("hmac.compare_digest")?.Effect);
        Assert.True(taint.MayBeSource("recv"));
    }

    [Fact]
    public void UserSourcesAndSanitizersAreRead()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[source]]
            kind = "remote"
            names = ["mylib.inbox().next"]
            reason = "r"
            reference = "https://example.com"

            [[parameter-source]]
            kind = "network-data"
            decorated-by = ["mylib.consumer"]
            reason = "r"
            reference = "https://example.com"

            [[sanitizer]]
            effect = "verifies"
            names = ["mylib.verify"]
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Empty(result.Errors);
        Assert.Equal("remote", result.Models.Taint.SourceFor("mylib.inbox().next()")?.Model.Kind);
        Assert.Equal(["mylib.consumer"], result.Models.Taint.ParameterSources.Single().DecoratedBy);
        Assert.Equal(SanitizerEffect.Verifies, result.Models.Taint.SanitizerFor("mylib.verify")?.Effect);
    }

    [Fact]
    public void BadEntriesNameFileAndLine()
    {
        var result = ModelSet.Parse("bad.toml", Header + """
            [[source]]
            kind = "internet"
            names = ["a.b"]
            reason = "r"
            reference = "x"

            [[parameter-source]]
            kind = "remote"
            reason = "r"
            reference = "x"

            [[sanitizer]]
            effect = "scrubs"
            names = ["a.b"]
            reason = "r"
            reference = "x"
            """);
        Assert.Equal(
            [
                "bad.toml:5: kind must be one of remote, network-data, local, library, not 'internet'",
                "bad.toml:10: [[parameter-source]] needs decorated-by, function-names or first-parameter-names",
                "bad.toml:16: effect must be clears, verifies or guard, not 'scrubs'",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
        Assert.Empty(result.Models.Taint.Sources);
    }
}
