using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Models;

public sealed class ModelLoaderTests
{
    private const string Header = "schema = 1\nversion = \"1\"\nlibrary = \"test\"\n";

    [Fact]
    public void BuiltInModelsLoadWithoutErrors()
    {
        Assert.Empty(ModelSet.BuiltInErrors);
        var models = ModelSet.BuiltIn;
        Assert.Equal("PG101", Assert.Single(models.SinksFor("pickle.loads")).Rule);
        Assert.Equal("PG103", Assert.Single(models.SinksFor("yaml.load")).Rule);
        Assert.Equal("PG109", Assert.Single(models.SinksFor("multiprocessing.connection.Listener().accept().recv")).Rule);
        Assert.Empty(models.SinksFor("pickle.dumps"));
        Assert.NotNull(models.SerializerFor("pickle.dumps"));
        Assert.NotNull(models.PropagatorFor("builtins.open"));
        Assert.Equal("pickle", models.ImportInfoLibrary("cPickle"));
        Assert.Null(models.ImportInfoLibrary("numpy"));
    }

    // The taint index asks once what the models say about an API path (ModelSet.ModelsNaming): every kind looked up by
    // exact path must be in that one entry.
    [Fact]
    public void EveryModelNamingAnExactPathIsInThatPathsOneEntry()
    {
        var models = ModelSet.BuiltIn;
        var taint = models.Taint;
        PathModels Named(string name) => Assert.IsType<PathModels>(models.ModelsNaming(name));
        Assert.All(models.Sinks, sink => Assert.All(sink.Names, name => Assert.Contains(sink, Named(name).Sinks)));
        Assert.All(models.Serializers, serializer => Assert.All(serializer.Names, name => Assert.NotNull(Named(name).Serializer)));
        Assert.All(models.Propagators, propagator => Assert.All(propagator.Names, name => Assert.NotNull(Named(name).Propagator)));
        Assert.All(taint.Sanitizers, sanitizer => Assert.All(sanitizer.Names, name => Assert.NotNull(Named(name).Sanitizer)));
        Assert.All(taint.Hooks, hook => Assert.All(hook.Names, name => Assert.NotNull(Named(name).Hook)));
        Assert.All(taint.Runners, runner => Assert.All(runner.Names, name => Assert.NotNull(Named(name).Runner)));
        Assert.All(taint.RecordBases, recordBase => Assert.All(recordBase.Names, name => Assert.True(Named(name).IsRecordBase)));
        Assert.All(taint.CallbackSources.Where(callback => callback.Methods.Count == 0),
            callback => Assert.All(callback.Names, name => Assert.Contains(callback, Named(name).Callbacks)));
        Assert.All(taint.Sources.Where(source => source.RunsCommand is not null),
            source => Assert.All(source.Names, name => Assert.NotNull(Named(name).CommandRunner)));
        Assert.Null(models.ModelsNaming("example.not_modelled"));
        Assert.Empty(models.SinksFor("example.not_modelled"));
    }

    [Fact]
    public void BuiltInSinkNamesAreUniqueAndEveryEntryHasAReasonAndReference()
    {
        var names = ModelSet.BuiltIn.Sinks.SelectMany(s => s.Names).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ModelSet.BuiltIn.Sinks, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Reason));
            Assert.False(string.IsNullOrWhiteSpace(s.Reference));
        });
    }

    [Fact]
    public void ConditionsAreReadIntoTheModel()
    {
        var torch = Assert.Single(ModelSet.BuiltIn.SinksFor("torch.load"));
        var safeWhen = Assert.IsType<ArgumentCondition>(torch.SafeWhen);
        Assert.Equal("weights_only", safeWhen.Argument.Keyword);
        Assert.Null(safeWhen.Argument.Position);
        Assert.Equal([ModelLiteral.Of(true)], safeWhen.Values);
        Assert.Equal(MissingArgumentVerdict.Unsafe, safeWhen.Missing);

        var unpickler = Assert.Single(ModelSet.BuiltIn.SinksFor("pickle.Unpickler().load"));
        Assert.Equal(new ArgumentSelector(0, "file", CallPart.Constructor), unpickler.Input);
        Assert.Equal(SinkMitigation.RestrictedFindClass, unpickler.Mitigation);

        var jit = Assert.Single(ModelSet.BuiltIn.SinksFor("torch.jit.load"));
        Assert.Equal(Confidence.Medium, jit.Confidence);
    }

    /// <summary>A client read is a listed attribute called on the client's made object, and nothing else.</summary>
    [Fact]
    public void ClientReadsAreListedAttributesOfAClientSourcesObject()
    {
        var taint = ModelSet.BuiltIn.Taint;

        var (model, client) = Assert.NotNull(taint.ClientReadFor("redis.Redis().hgetall"));
        Assert.Equal("redis.Redis", client);
        Assert.Contains("hgetall", model.Attributes);
        Assert.Null(taint.ClientReadFor("redis.Redis().set")); // not a read
        Assert.Null(taint.ClientReadFor("redis.Redis().hgetal"));
        Assert.Null(taint.ClientReadFor("redis.Redis.hgetall")); // no object made
        Assert.Null(taint.ClientReadFor("other.Client().hgetall")); // a read's name on an object no client source makes
        Assert.Null(taint.ClientReadFor("().get"));
    }

    [Fact]
    public void SettingsAreReadAndTheirMistakesNamedAtTheirLines()
    {
        const string Entry = "[[setting]]\n{0}\nrule = \"PG110\"\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("s.toml", Header + Entry.Replace("{0}",
            "names = [\"accept_content\"]\ncalls = [\"k.enable\"]\nargument = { position = 0 }\nvalues = [\"pickle\"]", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        var setting = Assert.Single(good.Models.Settings);
        Assert.Equal(["accept_content"], setting.Names);
        Assert.Equal(["k.enable"], setting.Calls);
        Assert.Equal([ModelLiteral.Of("pickle")], setting.Values);
        Assert.Equal(new ArgumentSelector(0, null), setting.Argument);
        Assert.Equal("test", setting.Library);
        // A call alone needs no values: calling it turns pickle on.
        Assert.Empty(ModelSet.Parse("s.toml", Header + Entry.Replace("{0}", "calls = [\"p.PickleSerializer\"]", StringComparison.Ordinal)).Errors);

        (string Body, int Line, string Message)[] bad =
        [
            ("values = [\"pickle\"]", 4, "needs 'names' (settings), 'calls' (API paths) or both"),
            ("names = [\"conf.accept\"]\nvalues = [\"pickle\"]", 5, "'conf.accept' is not a setting name"),
            ("names = [\"accept_content\"]", 4, "missing required key 'values'"),
            ("names = [\"a\"]\nargument = { position = 0 }\nvalues = [\"pickle\"]", 6, "'argument' selects an argument of 'calls'"),
        ];
        foreach (var (body, line, message) in bad)
        {
            var result = ModelSet.Parse("s.toml", Header + Entry.Replace("{0}", body, StringComparison.Ordinal));
            var error = Assert.Single(result.Errors);
            Assert.True(error.Line == line && error.Message.Contains(message, StringComparison.Ordinal), $"{body}: {error}");
            Assert.Empty(result.Models.Settings);
        }
    }

    [Fact]
    public void DefaultSinceAndAddedInAreReadAndChecked()
    {
        const string Sink = "[[sink]]\nnames = [\"t.load\"]\nrule = \"PG104\"\nsafe-when = { keyword = \"w\", values = [true], {0} }\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("t.toml", Header + Sink.Replace("{0}", "missing = \"unsafe\", default-since = { package = \"t\", version = \"2.6\" }, added-in = { package = \"t\", version = \"1.13\" }", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        var condition = Assert.Single(good.Models.Sinks).SafeWhen!;
        Assert.Equal(new PackageRelease("t", new Version(2, 6)), condition.DefaultSince);
        Assert.Equal(new PackageRelease("t", new Version(1, 13)), condition.AddedIn);
        foreach (var (body, message) in new[]
        {
            ("missing = \"unsafe\", added-in = { package = \"t\", version = \"1.x\" }", "'1.x' is not a release number"),
            ("missing = \"unsafe\", added-in = { package = \"t\", version = \"1.13\", since = \"x\" }", "added-in (allowed: package, version)"),
            ("missing = \"unsafe\", default-since = { package = \"t\", version = \"two\" }", "'two' is not a release number"),
            ("missing = \"safe\", default-since = { package = \"t\", version = \"2.6\" }", "'default-since' is for an argument whose absence is unsafe"),
            ("missing = \"unsafe\", default-since = { version = \"2.6\" }", "missing required key 'package'"),
        })
        {
            var error = Assert.Single(ModelSet.Parse("t.toml", Header + Sink.Replace("{0}", body, StringComparison.Ordinal)).Errors);
            Assert.True(error.Line == 7 && error.Message.Contains(message, StringComparison.Ordinal), error.ToString());
        }
    }

    [Fact]
    public void UnresolvedMethodsMustEndOneOfTheNames()
    {
        const string Sink = "[[sink]]\nnames = [\"z.Socket().recv_pyobj\"]\nrule = \"PG109\"\nunresolved-methods = [\"{0}\"]\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("z.toml", Header + Sink.Replace("{0}", "recv_pyobj", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        Assert.Equal(["recv_pyobj"], Assert.Single(good.Models.Sinks).UnresolvedMethods);
        var bad = Assert.Single(ModelSet.Parse("z.toml", Header + Sink.Replace("{0}", "recv", StringComparison.Ordinal)).Errors);
        Assert.Equal(new ModelError("z.toml", 7, "'recv' is not a method name that ends one of 'names'"), bad);
    }

    [Fact]
    public void PairFactoriesNeedTheNamesToBeOneClassesMethods()
    {
        const string Sink = "[[sink]]\nnames = [{0}]\nrule = \"PG109\"\npair-factories = [\"m.Pipe\"]\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("m.toml", Header + Sink.Replace("{0}", "\"m.Conn().recv\", \"m.Conn().poll\"", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        var sink = Assert.Single(good.Models.Sinks);
        Assert.Equal(["m.Pipe"], sink.PairFactories);
        Assert.Equal("m.Conn", sink.InstanceClass);
        foreach (var names in new[] { "\"m.Conn().recv\", \"m.Other().recv\"", "\"m.recv\"", "\"m.Conn().chan().recv\"" })
        {
            var bad = Assert.Single(ModelSet.Parse("m.toml", Header + Sink.Replace("{0}", names, StringComparison.Ordinal)).Errors);
            Assert.Equal(new ModelError("m.toml", 7, "'pair-factories' needs every one of 'names' to be a method of one class's instances (T().method)"), bad);
        }
    }

    [Fact]
    public void RunnersSayHowManyArgumentsTheyPassFirst()
    {
        const string Runner = "[[runner]]\nnames = [\"m.spawn\"]\n{0}arguments = {{ position = 1, keyword = \"args\" }}\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("m.toml", Header + string.Format(Runner, "prepends = 1\n"));
        Assert.Empty(good.Errors);
        var runner = good.Models.Taint.RunnerFor("m.spawn");
        Assert.NotNull(runner);
        Assert.Equal(1, runner.Prepends);
        Assert.Equal(new ArgumentSelector(1, "args"), runner.Arguments);
        var missing = Assert.Single(ModelSet.Parse("m.toml", Header + string.Format(Runner, "")).Errors);
        Assert.Equal(new ModelError("m.toml", 4, "missing required key 'prepends'"), missing);
        var zero = Assert.Single(ModelSet.Parse("m.toml", Header + string.Format(Runner, "prepends = 0\n")).Errors);
        Assert.Equal(new ModelError("m.toml", 6, "'prepends' must be the number of arguments the runner passes first, 1 to 8"), zero);
    }

    [Fact]
    public void MissingRequiredKeyIsReportedAtTheEntryLine()
    {
        var text = Header + "\n[[sink]]\nnames = [\"a.b\"]\nrule = \"PG101\"\nreference = \"r\"\n";
        var result = ModelSet.Parse("bad.toml", text);
        var error = Assert.Single(result.Errors);
        Assert.Equal(new ModelError("bad.toml", 5, "missing required key 'reason'"), error);
        Assert.Empty(result.Models.Sinks);
        Assert.Equal("bad.toml:5: missing required key 'reason'", error.ToString());
    }

    [Fact]
    public void UnknownKeyAndBadRuleAreReportedAtTheirLines()
    {
        var text = Header + "[[sink]]\nnames = [\"a.b\"]\nrule = \"X1\"\nreasn = \"typo\"\nreason = \"r\"\nreference = \"r\"\n";
        var errors = ModelSet.Parse("bad.toml", text).Errors;
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Line == 6 && e.Message.Contains("'X1'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 7 && e.Message.StartsWith("unknown key 'reasn'", StringComparison.Ordinal));
    }

    [Fact]
    public void PropagatorOpensMustBeABoolean()
    {
        const string Entry = "[[propagator]]\nnames = [\"a.open\"]\nfrom = { position = 0 }\nopens = {0}\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("files.toml", Header + Entry.Replace("{0}", "true", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        Assert.True(Assert.Single(good.Models.Propagators).Opens);
        Assert.False(ModelSet.Parse("files.toml", Header + Entry.Replace("opens = {0}\n", "", StringComparison.Ordinal)).Models.Propagators[0].Opens);

        var bad = ModelSet.Parse("files.toml", Header + Entry.Replace("{0}", "\"yes\"", StringComparison.Ordinal));
        Assert.Equal(new ModelError("files.toml", 7, "'opens' must be true or false"), Assert.Single(bad.Errors));
        Assert.Empty(bad.Models.Propagators);

        var typo = ModelSet.Parse("files.toml", Header + Entry.Replace("opens = {0}", "open = true", StringComparison.Ordinal));
        Assert.Equal("unknown key 'open' in [[propagator]] (allowed: names, methods, from, reason, reference, opens, whole, saves-to, fetches-urls, keeps-receiver)", Assert.Single(typo.Errors).Message);
    }

    [Fact]
    public void AMissingArgumentMayStandForAClass()
    {
        const string Sink = "[[sink]]\nnames = [\"a.safe_load\"]\nrule = \"PG103\"\ninput = { position = 0 }\nsafe-when = { keyword = \"Loader\", {0}missing = \"a.SafeLoader\" }\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("yaml.toml", Header + Sink.Replace("{0}", "classes = [\"a.SafeLoader\"], ", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        var condition = Assert.Single(good.Models.Sinks).SafeWhen!;
        Assert.Equal(MissingArgumentVerdict.DefaultClass, condition.Missing);
        Assert.Equal("a.SafeLoader", condition.MissingClass);
        var withoutClasses = ModelSet.Parse("yaml.toml", Header + Sink.Replace("{0}", "values = [true], ", StringComparison.Ordinal));
        Assert.Contains("'missing' must be \"safe\", \"unsafe\" or (with 'classes') a class name, not 'a.SafeLoader'", Assert.Single(withoutClasses.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConditionWithoutAnArgumentNamesTheClassTheLibraryAlwaysUses()
    {
        const string Sink = "[[sink]]\nnames = [\"a.safe_load\"]\nrule = \"PG103\"\ninput = { position = 0 }\nsafe-when = { classes = [\"a.SafeLoader\"], missing = {0} }\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("yaml.toml", Header + Sink.Replace("{0}", "\"a.SafeLoader\"", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        var condition = Assert.Single(good.Models.Sinks).SafeWhen!;
        Assert.Equal(new ArgumentSelector(null, null), condition.Argument);
        Assert.Equal("a.SafeLoader", condition.MissingClass);
        var verdict = ModelSet.Parse("yaml.toml", Header + Sink.Replace("{0}", "\"safe\"", StringComparison.Ordinal));
        Assert.Equal("safe-when needs a 'position', a 'keyword' or both, unless 'missing' names the class the library always uses",
            Assert.Single(verdict.Errors).Message);
    }

    [Fact]
    public void FetchingUrlsNeedsOneArgumentOrASinkInput()
    {
        const string Opener = "[[propagator]]\nnames = [\"a.open\"]\nfrom = { position = 0 }\nopens = true\nfetches-urls = true\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("files.toml", Header + Opener);
        Assert.Empty(good.Errors);
        Assert.True(Assert.Single(good.Models.Propagators).FetchesUrls);
        // A downloader returning the local path of its copy (cached_path) fetches URLs without opening them.
        var downloader = ModelSet.Parse("files.toml", Header + Opener.Replace("opens = true\n", "", StringComparison.Ordinal));
        Assert.Empty(downloader.Errors);
        Assert.True(Assert.Single(downloader.Models.Propagators) is { FetchesUrls: true, Opens: false });
        var everyArgument = ModelSet.Parse("files.toml", Header + Opener.Replace("opens = true\n", "", StringComparison.Ordinal)
            .Replace("from = { position = 0 }", "from = \"all-arguments\"", StringComparison.Ordinal));
        Assert.Equal(new ModelError("files.toml", 7, "'fetches-urls' needs 'from' naming one argument (the path that may be a URL), and excludes 'whole' and 'saves-to'"),
            Assert.Single(everyArgument.Errors));

        const string Sink = "[[sink]]\nnames = [\"a.read\"]\nrule = \"PG106\"\ninput = { position = 0 }\nfetches-urls = true\nreason = \"r\"\nreference = \"r\"\n";
        Assert.True(Assert.Single(ModelSet.Parse("sinks.toml", Header + Sink).Models.Sinks).FetchesUrls);
        var noInput = ModelSet.Parse("sinks.toml", Header + Sink.Replace("input = { position = 0 }\n", "", StringComparison.Ordinal));
        Assert.Equal(new ModelError("sinks.toml", 7, "'fetches-urls' needs 'input' (the argument that may be a URL)"), Assert.Single(noInput.Errors));
    }

    [Fact]
    public void KeepingTheReceiverNeedsNamedMethods()
    {
        const string Entry = "[[propagator]]\nnames = [\"a.Session().add\"]\nfrom = \"receiver\"\nkeeps-receiver = true\nreason = \"r\"\nreference = \"r\"\n";
        Assert.True(ModelSet.Parse("orm.toml", Header + Entry) is { Errors: [], Models.Propagators: [{ KeepsReceiver: true }] });
        Assert.False(ModelSet.Parse("orm.toml", Header + Entry.Replace("keeps-receiver = true\n", "", StringComparison.Ordinal)).Models.Propagators[0].KeepsReceiver);

        // A method name on any receiver would keep every list's and set's `add` from holding what it adds.
        var byName = ModelSet.Parse("orm.toml", Header + Entry.Replace("names = [\"a.Session().add\"]", "methods = [\"add\"]", StringComparison.Ordinal));
        Assert.Equal(new ModelError("orm.toml", 7, "'keeps-receiver' needs 'names' (methods of a known class) and excludes 'methods'"), Assert.Single(byName.Errors));
    }

    [Fact]
    public void AWholePropagatorNamesOneArgumentAndDoesNotOpen()
    {
        const string Entry = "[[propagator]]\nnames = [\"typing.cast\"]\nfrom = {0}\nwhole = true\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("typing.toml", Header + Entry.Replace("{0}", "{ position = 1 }", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        Assert.True(Assert.Single(good.Models.Propagators).Whole);

        var allArguments = ModelSet.Parse("typing.toml", Header + Entry.Replace("{0}", "\"all-arguments\"", StringComparison.Ordinal));
        Assert.Equal(new ModelError("typing.toml", 7, "'whole' needs 'from' to name one argument, and excludes 'opens'"), Assert.Single(allArguments.Errors));

        var opening = ModelSet.Parse("typing.toml", Header + Entry.Replace("{0}", "{ position = 1 }\nopens = true", StringComparison.Ordinal));
        Assert.Single(opening.Errors);
        Assert.Empty(opening.Models.Propagators);
    }

    [Fact]
    public void ACopyingPropagatorNamesOneArgumentAndTheFileItSavesTo()
    {
        const string Entry = "[[propagator]]\n{0}\nfrom = {1}\nsaves-to = { position = 1 }\nreason = \"r\"\nreference = \"r\"\n";
        var good = ModelSet.Parse("files.toml", Header + Entry.Replace("{0}", "names = [\"a.copy\"]", StringComparison.Ordinal).Replace("{1}", "{ position = 0 }", StringComparison.Ordinal));
        Assert.Empty(good.Errors);
        Assert.Equal(new ArgumentSelector(1, null), Assert.Single(good.Models.Propagators).SavesTo);
        Assert.Equal(new ArgumentSelector(1, "fdst"), ModelSet.BuiltIn.PropagatorFor("shutil.copyfileobj")!.SavesTo);

        var receiver = ModelSet.Parse("files.toml", Header + Entry.Replace("{0}", "names = [\"a.copy\"]", StringComparison.Ordinal).Replace("{1}", "\"receiver\"", StringComparison.Ordinal));
        Assert.Equal(new ModelError("files.toml", 7, "'saves-to' needs 'names' (functions) and 'from' naming one argument"), Assert.Single(receiver.Errors));
        var method = ModelSet.Parse("files.toml", Header + Entry.Replace("{0}", "methods = [\"copy\"]", StringComparison.Ordinal).Replace("{1}", "{ position = 0 }", StringComparison.Ordinal));
        Assert.Equal(new ModelError("files.toml", 7, "'saves-to' needs 'names' (functions) and 'from' naming one argument"), Assert.Single(method.Errors));
        Assert.Empty(method.Models.Propagators);
        var constructor = ModelSet.Parse("files.toml", Header + Entry.Replace("{0}", "names = [\"a.copy\"]", StringComparison.Ordinal)
            .Replace("{1}", "{ position = 0 }", StringComparison.Ordinal).Replace("{ position = 1 }", "{ position = 1, on = \"constructor\" }", StringComparison.Ordinal));
        Assert.Equal(new ModelError("files.toml", 7, "'saves-to' selects an argument of the propagator's call; 'on' is not allowed"), Assert.Single(constructor.Errors));
    }

    [Fact]
    public void BuiltInOpenersAreThePathTakingCallsOnly()
    {
        var models = ModelSet.BuiltIn;
        Assert.True(models.PropagatorFor("builtins.open")!.Opens);
        Assert.True(models.PropagatorFor("gzip.open")!.Opens);
        Assert.True(models.MethodPropagatorFor("read_bytes")!.Opens);
        Assert.True(models.MethodPropagatorFor("read_text")!.Opens);
        // Archives and file objects have these too: their result is the receiver's own content.
        Assert.False(models.MethodPropagatorFor("open")!.Opens);
        Assert.False(models.MethodPropagatorFor("read")!.Opens);
        Assert.False(models.PropagatorFor("io.BytesIO")!.Opens);
        Assert.False(models.PropagatorFor("gzip.GzipFile")!.Opens);
    }

    [Fact]
    public void GoodEntriesSurviveABadNeighbour()
    {
        var text = Header
            + "[[sink]]\nnames = [\"good.loads\"]\nrule = \"PG101\"\nreason = \"r\"\nreference = \"r\"\n"
            + "[[sink]]\nnames = [\"bad name!\"]\nrule = \"PG101\"\nreason = \"r\"\nreference = \"r\"\n";
        var result = ModelSet.Parse("mixed.toml", text);
        Assert.Equal(10, Assert.Single(result.Errors).Line);
        Assert.Equal("good.loads", Assert.Single(result.Models.Sinks).Names[0]);
    }

    [Fact]
    public void TomlSyntaxErrorNamesFileAndLine()
    {
        var result = ModelSet.Parse("syntax.toml", Header + "[[sink]]\nnames = [\n");
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, error =>
        {
            Assert.Equal("syntax.toml", error.File);
            Assert.True(error.Line >= 5, error.ToString());
            Assert.StartsWith("TOML syntax:", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void ConditionNeedsExactlyOneTest()
    {
        var text = Header + "[[sink]]\nnames = [\"a.b\"]\nrule = \"PG101\"\n"
            + "safe-when = { keyword = \"k\", values = [true], classes = [\"x.Y\"], missing = \"safe\" }\nreason = \"r\"\nreference = \"r\"\n";
        var error = Assert.Single(ModelSet.Parse("cond.toml", text).Errors);
        Assert.Equal(7, error.Line);
        Assert.Contains("exactly one of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongSchemaAndSingleTableAreRejected()
    {
        var wrongSchema = ModelSet.Parse("s.toml", "schema = 2\nversion = \"1\"\nlibrary = \"x\"\n");
        Assert.Equal(1, Assert.Single(wrongSchema.Errors).Line);
        var table = ModelSet.Parse("t.toml", Header + "[sink]\nnames = [\"a\"]\n");
        Assert.Contains("[[sink]]", Assert.Single(table.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraFilesAddToBuiltInsAndUnreadableFilesAreErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pg-model-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, Header + "[[sink]]\nnames = [\"acme.codec.decode\"]\nrule = \"PG101\"\ninput = { position = 0 }\nreason = \"r\"\nreference = \"r\"\n");
        try
        {
            var missing = Path.Combine(Path.GetTempPath(), $"pg-missing-{Guid.NewGuid():N}.toml");
            var result = ModelSet.Load([path, missing]);
            var error = Assert.Single(result.Errors);
            Assert.Equal(missing, error.File);
            Assert.Single(result.Models.SinksFor("acme.codec.decode"));
            Assert.Single(result.Models.SinksFor("pickle.loads"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
