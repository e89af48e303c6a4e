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

    [Theory]
    [InlineData("mylib.inbox().next()", "mylib.inbox().next")]
    [InlineData("mylib.inbox().next.body", "mylib.inbox().next")]
    [InlineData("mylib.inbox()", null)]
    [InlineData("feed()", "feed")]
    [InlineData("feed().items()", "feed")]
    [InlineData("feed", "feed")]
    [InlineData("feeds.get", null)]
    [InlineData("mylibs.inbox().next", null)]
    [InlineData("other.feed", null)]
    [InlineData("", null)]
    // Only the prefixes as long as some name under the path's first segment are looked up: the shortest and the longest
    // names themselves, prefixes between them, and none outside.
    [InlineData("net.a", "net.a")]
    [InlineData("net.a.b.c.d.e.f.g.h.i.j.k", "net.a")]
    [InlineData("net.long.name().read", "net.long.name().read")]
    [InlineData("net.long.name().read().x.y.z", "net.long.name().read")]
    [InlineData("net.mid().x", "net.mid")]
    [InlineData("net.long.name()", null)]
    [InlineData("net.b.c", null)]
    [InlineData("net", null)]
    public void ASourceIsFoundThroughThePathsPrefixesAndOnlyUnderItsFirstSegment(string path, string? source)
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[source]]
            kind = "remote"
            names = ["mylib.inbox().next", "feed", "net.long.name().read", "net.a", "net.mid"]
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Empty(result.Errors);
        Assert.Equal(source, result.Models.Taint.SourceFor(path)?.Name);
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
    public void AVerifierNamesTheClassItDecodesWith()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[sanitizer]]
            effect = "verifies"
            names = ["mylib.unsign"]
            hands-to = { position = 2, keyword = "codec", method = "decode" }
            reason = "r"
            reference = "https://example.com"

            [[sanitizer]]
            effect = "clears"
            names = ["mylib.length"]
            hands-to = { keyword = "codec", method = "not a name", extra = 1 }
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Equal(
            [
                "mine.toml:14: unknown key 'extra' in hands-to (allowed: position, keyword, method)",
                "mine.toml:14: 'not a name' is not a Python identifier",
                "mine.toml:14: 'hands-to' is only for effect = \"verifies\" (what is handed on is the verified data)",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
        var handOff = result.Models.Taint.SanitizerFor("mylib.unsign")?.HandsTo;
        Assert.Equal((2, "codec", "decode"), (handOff?.Argument.Position, handOff?.Argument.Keyword, handOff?.Method));
    }

    [Fact]
    public void ADownloadNamesTheFileItSavesTo()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[source]]
            kind = "network-data"
            names = ["mylib.fetch"]
            saves-to = { position = 1, keyword = "dest" }
            reason = "r"
            reference = "https://example.com"

            [[source]]
            kind = "network-data"
            names = ["mylib.pull"]
            saves-to = { on = "constructor", keyword = "dest" }
            reason = "r"
            reference = "https://example.com"

            [[source]]
            kind = "network-data"
            names = ["mylib.copy"]
            saves-to = { name = "dest" }
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Equal(new ArgumentSelector(1, "dest"), result.Models.Taint.SourceFor("mylib.fetch")?.Model.SavesTo);
        Assert.Equal(new ArgumentSelector(2, "Filename"), ModelSet.BuiltIn.Taint.SourceFor("boto3.client().download_file")?.Model.SavesTo);
        Assert.Equal(
            [
                "mine.toml:14: 'saves-to' selects an argument of the source's call; 'on' is not allowed",
                "mine.toml:21: saves-to needs a 'position', a 'keyword' or both",
                "mine.toml:21: unknown key 'name' in saves-to (allowed: position, keyword, on)",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
    }

    [Fact]
    public void ClientAttributesNameTheReadsOfTheClientTheyMake()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[source]]
            kind = "network-data"
            names = ["mylib.Client"]
            attributes = ["get"]
            client-attributes = { batch = ["run"] }
            reason = "r"
            reference = "https://example.com"

            [[source]]
            kind = "network-data"
            names = ["mylib.Other"]
            attributes = ["get", "batch"]
            client-attributes = { batch = ["run"], "not-a-name" = ["x"] }
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Equal(["run"], result.Models.Taint.ClientMadeBy("batch"));
        Assert.Null(result.Models.Taint.ClientMadeBy("get"));
        Assert.Equal(["get", "batch"], result.Models.Taint.SourceFor("mylib.Client")?.Model.Attributes);
        Assert.Equal(
            [
                "mine.toml:16: 'batch' makes a client: list it in 'client-attributes' only, not in 'attributes' too",
                "mine.toml:16: 'not-a-name' is not a Python identifier",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
    }

    [Fact]
    public void ACommandRunnerIsASourceOnlyThroughItsCommand()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[source]]
            kind = "network-data"
            names = ["mylib.shell"]
            runs-command = { position = 0, keyword = "cmd" }
            shell-keyword = "shell"
            reason = "r"
            reference = "https://example.com"

            [[source]]
            kind = "network-data"
            names = ["mylib.fetch"]
            shell-keyword = "shell"
            reason = "r"
            reference = "https://example.com"

            [[source]]
            kind = "network-data"
            names = ["mylib.pull"]
            runs-command = { position = 0 }
            saves-to = { position = 1 }
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Null(result.Models.Taint.SourceFor("mylib.shell"));
        Assert.Equal(("shell", new ArgumentSelector(0, "cmd")), result.Models.Taint.CommandRunnerFor("mylib.shell") is { } runner ? (runner.ShellKeyword, runner.RunsCommand) : default);
        Assert.Null(ModelSet.BuiltIn.Taint.SourceFor("subprocess.run"));
        Assert.Null(ModelSet.BuiltIn.Taint.CommandRunnerFor("os.system")?.ShellKeyword);
        Assert.Equal(
            [
                "mine.toml:15: 'shell-keyword' goes with 'runs-command' (the keyword that runs the command through a shell)",
                "mine.toml:22: 'runs-command' names the command whose output file holds the data; it takes no saves-to, saves-into or attributes",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
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

            [[parameter-source]]
            kind = "remote"
            base-name-ends-with = "Servicer"
            reason = "r"
            reference = "x"

            [[parameter-source]]
            kind = "remote"
            function-names = ["handler"]
            except-function-names = ["send"]
            reason = "r"
            reference = "x"
            """);
        Assert.Equal(
            [
                "bad.toml:5: kind must be one of remote, network-data, local, library, not 'internet'",
                "bad.toml:10: [[parameter-source]] needs decorated-by, function-names, first-parameter-names, annotated-with or signature",
                "bad.toml:16: effect must be clears, verifies, guard or asserts, not 'scrubs'",
                "bad.toml:21: [[parameter-source]] base-name-ends-with needs a signature",
                "bad.toml:21: [[parameter-source]] needs decorated-by, function-names, first-parameter-names, annotated-with or signature",
                "bad.toml:30: 'except-function-names' goes with 'first-parameter-names' (the functions whose first parameter is no request)",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
        Assert.Empty(result.Models.Taint.Sources);
    }

    [Fact]
    public void BuiltInCallbackSourcesLoad()
    {
        var pika = Assert.Single(ModelSet.BuiltIn.Taint.CallbackSourcesFor("pika.BlockingConnection().channel().basic_consume"));
        Assert.Equal(("network-data", 1, "on_message_callback", 3), (pika.Kind, pika.Callback!.Position, pika.Callback.Keyword, pika.Positions.Single()));
        var redis = Assert.Single(ModelSet.BuiltIn.Taint.CallbackSourcesFor("redis.Redis().pubsub().subscribe"));
        Assert.True(redis.KeywordCallbacks);
        Assert.Null(redis.Callback);
        Assert.True(Assert.Single(ModelSet.BuiltIn.Taint.CallbackSourcesFor("xmlrpc.server.SimpleXMLRPCServer().register_instance")).Instance);
        Assert.Empty(ModelSet.BuiltIn.Taint.CallbackSourcesFor("pika.BlockingConnection().channel().basic_get"));
    }

    [Fact]
    public void UserCallbackSourceIsRead()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[callback-source]]
            kind = "network-data"
            names = ["mylib.Bus().subscribe"]
            callback = { position = 1, keyword = "handler" }
            parameter-positions = [0, 2]
            attributes = ["payload"]
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Empty(result.Errors);
        var model = Assert.Single(result.Models.Taint.CallbackSourcesFor("mylib.Bus().subscribe"));
        Assert.Equal([0, 2], model.Positions);
        Assert.Equal(["payload"], model.Attributes);
        Assert.Equal(new ArgumentSelector(1, "handler"), model.Callback);
        Assert.Equal(("mine.toml", 4), (model.Origin.File, model.Origin.Line));
    }

    [Fact]
    public void BadCallbackSourcesNameFileAndLine()
    {
        var result = ModelSet.Parse("bad.toml", Header + """
            [[callback-source]]
            kind = "remote"
            names = ["a.b"]
            reason = "r"
            reference = "x"

            [[callback-source]]
            kind = "remote"
            names = ["a.b"]
            callback = { on = "constructor", position = 0 }
            parameter-positions = [1, "body", -2]
            reason = "r"
            reference = "x"

            [[callback-source]]
            kind = "remote"
            names = ["a.b"]
            callback = { keyword = "cb" }
            instance = true
            parameter-positions = [0]
            callbacks = 2
            reason = "r"
            reference = "x"

            [[callback-source]]
            kind = "remote"
            names = ["a.b"]
            callback = { keyword = "cb" }
            keyword-callbacks = true
            reason = "r"
            reference = "x"
            """);
        Assert.Equal(
            [
                "bad.toml:4: missing required key 'callback' (or 'keyword-callbacks = true')",
                "bad.toml:13: 'callback' selects an argument of the registering call; 'on' is not allowed",
                "bad.toml:14: 'parameter-positions' must contain integers between 0 and 64",
                "bad.toml:14: 'parameter-positions' must contain integers between 0 and 64",
                "bad.toml:23: 'instance = true' exposes every parameter of every public method; 'parameter-positions' is not allowed with it",
                "bad.toml:24: unknown key 'callbacks' in [[callback-source]] (allowed: kind, names, methods, callback, keyword-callbacks, parameter-positions, instance, attributes, "
                    + "later-parameters, route, fixed-keywords, includes, view-factory, handler-methods, handler-decorators, reason, reference)",
                "bad.toml:31: 'callback' names one argument; 'keyword-callbacks = true' takes every keyword argument instead: give one of them",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
        Assert.Empty(result.Models.Taint.CallbackSources);
    }

    [Fact]
    public void HooksAreRead()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[hook]]
            names = ["mylib.Decoder().decode"]
            data = { position = 0, keyword = "text" }
            hooks = ["on_object", "on_pairs"]
            hooks-on = "constructor"
            reason = "r"
            reference = "https://example.com"
            """);
        Assert.Empty(result.Errors);
        var model = result.Models.Taint.HookFor("mylib.Decoder().decode");
        Assert.NotNull(model);
        Assert.Equal(new ArgumentSelector(0, "text"), model.Data);
        Assert.Equal(["on_object", "on_pairs"], model.Keywords);
        Assert.True(model.OnConstructor);
        Assert.Equal("json.JSONDecoder().decode", ModelSet.BuiltIn.Taint.HookFor("json.JSONDecoder().decode")?.Names[0]);
        Assert.Equal(["object_hook", "object_pairs_hook"], ModelSet.BuiltIn.Taint.HookFor("json.loads")?.Keywords);
    }

    [Fact]
    public void BadHooksNameFileAndLine()
    {
        var result = ModelSet.Parse("bad.toml", Header + """
            [[hook]]
            names = ["a.b"]
            reason = "r"
            reference = "x"

            [[hook]]
            names = ["a.b"]
            data = { position = 0 }
            hooks = ["object-hook"]
            hooks-on = "receiver"
            reason = "r"
            reference = "x"
            """);
        Assert.Equal(
            [
                "bad.toml:4: missing required key 'data' (the argument the call decodes)",
                "bad.toml:4: missing required key 'hooks' (the keyword arguments that give the hooks)",
                "bad.toml:12: 'object-hook' is not a Python identifier",
                "bad.toml:13: 'hooks-on' must be \"call\" or \"constructor\", not 'receiver'",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
        Assert.Empty(result.Models.Taint.Hooks);
    }
}
