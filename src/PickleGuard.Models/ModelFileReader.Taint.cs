using Tomlyn.Syntax;

namespace PickleGuard.Models;

/// <summary>The taint engine's entry kinds: [[source]], [[parameter-source]] and [[sanitizer]] (docs/taint.md).</summary>
internal static partial class ModelFileReader
{
    private static readonly string[] SourceKinds = ["remote", "network-data", "local", "library"];

    /// <summary>Reads a taint entry; false when <paramref name="name"/> is not a taint entry kind.</summary>
    private static bool TryReadTaintEntry(string? name, TomlEntry entry, ModelSetBuilder builder)
    {
        switch (name)
        {
            case "source":
                if (ReadSource(entry) is { } source)
                {
                    builder.Taint.Sources.Add(source);
                }
                return true;
            case "parameter-source":
                if (ReadParameterSource(entry) is { } parameterSource)
                {
                    builder.Taint.ParameterSources.Add(parameterSource);
                }
                return true;
            case "callback-source":
                if (ReadCallbackSource(entry) is { } callbackSource)
                {
                    builder.Taint.CallbackSources.Add(callbackSource);
                }
                return true;
            case "view-class":
                if (ReadViewClass(entry) is { } viewClass)
                {
                    builder.Taint.ViewClasses.Add(viewClass);
                }
                return true;
            case "hook":
                if (ReadHook(entry) is { } hook)
                {
                    builder.Taint.Hooks.Add(hook);
                }
                return true;
            case "runner":
                if (ReadRunner(entry) is { } runner)
                {
                    builder.Taint.Runners.Add(runner);
                }
                return true;
            case "record-base":
                if (ReadRecordBase(entry) is { } recordBase)
                {
                    builder.Taint.RecordBases.Add(recordBase);
                }
                return true;
            case "sanitizer":
                if (ReadSanitizer(entry) is { } sanitizer)
                {
                    builder.Taint.Sanitizers.Add(sanitizer);
                }
                return true;
            default:
                return false;
        }
    }

    private static SourceModel? ReadSource(TomlEntry entry)
    {
        var kind = SourceKind(entry);
        var names = ApiNames(entry, "names", required: true);
        var (attributes, clientAttributes) = ClientAttributes(entry, Identifiers(entry, "attributes"));
        var savesTo = ReadCallArgument(entry, "saves-to", "the source's call");
        var savesInto = ReadCallArgument(entry, "saves-into", "the source's call");
        var urlArgument = ReadCallArgument(entry, "url-argument", "the source's call");
        var runsCommand = ReadCallArgument(entry, "runs-command", "the source's call");
        var shellKeyword = entry.String("shell-keyword", required: false);
        if (shellKeyword is not null && runsCommand is null)
        {
            entry.Error(entry.LineOfKey("shell-keyword"), "'shell-keyword' goes with 'runs-command' (the keyword that runs the command through a shell)");
        }
        if (runsCommand is not null && (savesTo is not null || savesInto is not null || attributes.Count > 0))
        {
            entry.Error(entry.LineOfKey("runs-command"), "'runs-command' names the command whose output file holds the data; it takes no saves-to, saves-into or attributes");
        }
        var endpointMethods = Identifiers(entry, "endpoint-methods");
        var endpointContexts = entry.Boolean("endpoint-contexts") ?? false;
        if (endpointContexts && endpointMethods.Count == 0)
        {
            entry.Error(entry.LineOfKey("endpoint-contexts"), "'endpoint-contexts' says what the 'endpoint-methods' return: it needs them");
        }
        var localFamilies = ApiNames(entry, "local-families", required: false) ?? [];
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys("[[source]] (allowed: kind, names, attributes, client-attributes, saves-to, saves-into, runs-command, shell-keyword, url-argument, endpoint-methods, endpoint-contexts, local-families, reason, reference)");
        if (entry.HasErrors || kind is null || names is null || reason is null || reference is null)
        {
            return null;
        }
        return new SourceModel(kind, names, reason, reference, new ModelOrigin(entry.File, entry.Line))
        {
            Attributes = attributes,
            ClientAttributes = clientAttributes,
            SavesTo = savesTo,
            SavesInto = savesInto,
            RunsCommand = runsCommand,
            ShellKeyword = shellKeyword,
            UrlArgument = urlArgument,
            EndpointMethods = endpointMethods,
            EndpointContexts = endpointContexts,
            LocalFamilies = localFamilies,
        };
    }

    private static ParameterSourceModel? ReadParameterSource(TomlEntry entry)
    {
        var kind = SourceKind(entry);
        var decoratedBy = ApiNames(entry, "decorated-by", required: false) ?? [];
        var functionNames = Identifiers(entry, "function-names");
        var firstParameterNames = Identifiers(entry, "first-parameter-names");
        var exceptFunctionNames = Identifiers(entry, "except-function-names");
        if (exceptFunctionNames.Count > 0 && firstParameterNames.Count == 0)
        {
            entry.Error(entry.LineOfKey("except-function-names"), "'except-function-names' goes with 'first-parameter-names' (the functions whose first parameter is no request)");
        }
        var parameterNames = Identifiers(entry, "parameter-names");
        var annotatedWith = ApiNames(entry, "annotated-with", required: false) ?? [];
        var signature = Identifiers(entry, "signature", AnyName);
        var baseNameSuffix = entry.String("base-name-ends-with", required: false);
        if (baseNameSuffix is not null && signature.Count == 0)
        {
            entry.Error(entry.Line, "[[parameter-source]] base-name-ends-with needs a signature");
        }
        var (attributes, clientAttributes) = ClientAttributes(entry, Identifiers(entry, "attributes"));
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        if (decoratedBy.Count == 0 && functionNames.Count == 0 && firstParameterNames.Count == 0 && annotatedWith.Count == 0 && signature.Count == 0)
        {
            entry.Error(entry.Line, "[[parameter-source]] needs decorated-by, function-names, first-parameter-names, annotated-with or signature");
        }
        entry.RejectUnknownKeys("[[parameter-source]] (allowed: kind, decorated-by, function-names, first-parameter-names, except-function-names, annotated-with, signature, base-name-ends-with, parameter-names, attributes, client-attributes, reason, reference)");
        if (entry.HasErrors || kind is null || reason is null || reference is null)
        {
            return null;
        }
        return new ParameterSourceModel(kind, decoratedBy, functionNames, firstParameterNames, parameterNames, attributes,
            reason, reference, new ModelOrigin(entry.File, entry.Line))
        {
            AnnotatedWith = annotatedWith,
            Signature = signature,
            BaseNameSuffix = baseNameSuffix,
            ExceptFunctionNames = exceptFunctionNames,
            ClientAttributes = clientAttributes,
        };
    }

    private static CallbackSourceModel? ReadCallbackSource(TomlEntry entry)
    {
        var kind = SourceKind(entry);
        var names = ApiNames(entry, "names", required: true);
        var callback = ReadCallArgument(entry, "callback", "the registering call");
        var keywordCallbacks = entry.Boolean("keyword-callbacks") ?? false;
        if (keywordCallbacks && entry.Has("callback"))
        {
            entry.Error(entry.LineOfKey("callback"), "'callback' names one argument; 'keyword-callbacks = true' takes every keyword argument instead: give one of them");
        }
        else if (!keywordCallbacks && callback is null && !entry.Has("callback"))
        {
            entry.Error(entry.Line, "missing required key 'callback' (or 'keyword-callbacks = true')");
        }
        var positions = Positions(entry, "parameter-positions");
        var instance = entry.Boolean("instance") ?? false;
        var attributes = Identifiers(entry, "attributes");
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        if (instance && positions.Count > 0)
        {
            entry.Error(entry.LineOfKey("parameter-positions"), "'instance = true' exposes every parameter of every public method; 'parameter-positions' is not allowed with it");
        }
        var route = ReadRouteKeys(entry, positions, instance);
        var methods = Identifiers(entry, "methods");
        entry.RejectUnknownKeys("[[callback-source]] (allowed: kind, names, methods, callback, keyword-callbacks, parameter-positions, instance, attributes, "
            + "later-parameters, route, fixed-keywords, includes, view-factory, handler-methods, handler-decorators, reason, reference)");
        if (entry.HasErrors || !route.Valid || kind is null || names is null || (callback is null && !keywordCallbacks) || reason is null || reference is null)
        {
            return null;
        }
        return new CallbackSourceModel(kind, names, callback, positions, instance, attributes, reason, reference,
            new ModelOrigin(entry.File, entry.Line))
        {
            KeywordCallbacks = keywordCallbacks,
            LaterParameters = route.Later,
            Route = route.Route,
            FixedKeywords = route.FixedKeywords,
            ViewFactory = route.ViewFactory,
            HandlerMethods = route.HandlerMethods,
            Includes = route.Includes,
            HandlerDecorators = route.HandlerDecorators,
            Methods = methods,
        };
    }

    private static RunnerModel? ReadRunner(TomlEntry entry)
    {
        var names = ApiNames(entry, "names", required: true);
        var prepends = entry.Integer("prepends", required: true);
        if (prepends is < 1 or > 8)
        {
            entry.Error(entry.LineOfKey("prepends"), "'prepends' must be the number of arguments the runner passes first, 1 to 8");
        }
        var arguments = ReadCallArgument(entry, "arguments", "the runner's call");
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys("[[runner]] (allowed: names, prepends, arguments, reason, reference)");
        if (entry.HasErrors || names is null || prepends is null || reason is null || reference is null)
        {
            return null;
        }
        return new RunnerModel(names, (int)prepends, arguments, reason, reference, new ModelOrigin(entry.File, entry.Line));
    }

    private static RecordBaseModel? ReadRecordBase(TomlEntry entry) =>
        ReadNamesOnly(entry, "record-base", static (names, reason, reference, origin) => new RecordBaseModel(names, reason, reference, origin));

    private static HookModel? ReadHook(TomlEntry entry)
    {
        var names = ApiNames(entry, "names", required: true);
        var data = ReadCallArgument(entry, "data", "the decoding call");
        if (data is null && !entry.Has("data"))
        {
            entry.Error(entry.Line, "missing required key 'data' (the argument the call decodes)");
        }
        var keywords = Identifiers(entry, "hooks");
        if (keywords.Count == 0 && !entry.Has("hooks"))
        {
            entry.Error(entry.Line, "missing required key 'hooks' (the keyword arguments that give the hooks)");
        }
        var onConstructor = false;
        switch (entry.String("hooks-on", required: false))
        {
            case null or "call": break;
            case "constructor": onConstructor = true; break;
            case var other: entry.Error(entry.LineOfKey("hooks-on"), $"'hooks-on' must be \"call\" or \"constructor\", not '{other}'"); break;
        }
        var decoderClass = ReadDecoderClass(entry);
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys("[[hook]] (allowed: names, data, hooks, hooks-on, decoder-class, reason, reference)");
        if (entry.HasErrors || names is null || data is null || keywords.Count == 0 || reason is null || reference is null)
        {
            return null;
        }
        return new HookModel(names, data, keywords, onConstructor, reason, reference, new ModelOrigin(entry.File, entry.Line))
        {
            DecoderClass = decoderClass,
        };
    }

    /// <summary><c>decoder-class = { keyword = "cls", methods = ["decode", "raw_decode"] }</c>, if given.</summary>
    private static DecoderClassModel? ReadDecoderClass(TomlEntry entry)
    {
        if (entry.Table("decoder-class") is not { } table)
        {
            return null;
        }
        var keyword = table.String("keyword", required: true);
        if (keyword is not null && !ApiPath.IsIdentifier(keyword))
        {
            table.Error(table.LineOfKey("keyword"), $"'{keyword}' is not a Python identifier");
        }
        var methods = Identifiers(table, "methods");
        if (methods.Count == 0)
        {
            table.Error(table.Line, "'decoder-class' needs 'methods' (the decoder's methods the call runs with the data)");
        }
        table.RejectUnknownKeys("'decoder-class' (allowed: keyword, methods)");
        return keyword is null || methods.Count == 0 ? null : new DecoderClassModel(keyword, methods);
    }

    private static IReadOnlyList<int> Positions(TomlEntry entry, string key)
    {
        var items = entry.Array(key);
        if (items is null)
        {
            return [];
        }
        var result = new List<int>();
        foreach (var item in items)
        {
            if (item is IntegerValueSyntax { Value: >= 0 and <= MaxPosition } integer)
            {
                result.Add((int)integer.Value);
            }
            else
            {
                entry.Error(item, $"'{key}' must contain integers between 0 and {MaxPosition}");
            }
        }
        return result;
    }

    private static SanitizerModel? ReadSanitizer(TomlEntry entry)
    {
        SanitizerEffect? effect = entry.String("effect", required: true) switch
        {
            null => null,
            "clears" => SanitizerEffect.Clears,
            "verifies" => SanitizerEffect.Verifies,
            "guard" => SanitizerEffect.Guard,
            "asserts" => SanitizerEffect.Asserts,
            var other => Invalid(entry, "effect", $"effect must be clears, verifies, guard or asserts, not '{other}'"),
        };
        var names = ApiNames(entry, "names", required: true);
        var handsTo = ReadHandOff(entry);
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys("[[sanitizer]] (allowed: effect, names, hands-to, reason, reference)");
        if (entry.Has("hands-to") && effect is not null && effect != SanitizerEffect.Verifies)
        {
            entry.Error(entry.LineOfKey("hands-to"), "'hands-to' is only for effect = \"verifies\" (what is handed on is the verified data)");
        }
        if (entry.HasErrors || effect is null || names is null || reason is null || reference is null)
        {
            return null;
        }
        return new SanitizerModel(effect.Value, names, reason, reference, new ModelOrigin(entry.File, entry.Line)) { HandsTo = handsTo };
    }

    /// <summary><c>hands-to = { keyword = "serializer", method = "loads" }</c>: the class argument and the method that gets the verified data.</summary>
    private static VerifiedHandOff? ReadHandOff(TomlEntry entry)
    {
        if (entry.Table("hands-to") is not { } table)
        {
            return null;
        }
        var selector = ReadSelector(table, "hands-to", reject: false);
        var method = table.String("method", required: true);
        table.RejectUnknownKeys("hands-to (allowed: position, keyword, method)");
        if (method is not null && !ApiPath.IsIdentifier(method))
        {
            table.Error(table.LineOfKey("method"), $"'{method}' is not a Python identifier");
        }
        return selector is null || method is null || table.HasErrors ? null : new VerifiedHandOff(selector, method);
    }

    private static SanitizerEffect? Invalid(TomlEntry entry, string key, string message)
    {
        entry.Error(entry.LineOfKey(key), message);
        return null;
    }

    private static string? SourceKind(TomlEntry entry)
    {
        var kind = entry.String("kind", required: true);
        if (kind is not null && !SourceKinds.Contains(kind))
        {
            entry.Error(entry.LineOfKey("kind"), $"kind must be one of {string.Join(", ", SourceKinds)}, not '{kind}'");
        }
        return kind;
    }

    /// <summary>In a signature, a parameter of any name (a gRPC method's message: <c>request</c>, <c>task</c>, ...).</summary>
    private const string AnyName = "*";

    /// <summary>
    /// <c>client-attributes = { pipeline = ["execute"] }</c>: attributes of a client that make another client (a Redis
    /// pipeline) whose reads are the listed ones. They are the client's attributes too, so they come back joined to
    /// <paramref name="attributes"/>: what a client object gives is data or a further client, never the client itself.
    /// </summary>
    private static (IReadOnlyList<string> Attributes, IReadOnlyDictionary<string, IReadOnlyList<string>> Clients) ClientAttributes(
        TomlEntry entry, IReadOnlyList<string> attributes)
    {
        if (entry.Table("client-attributes") is not { } table)
        {
            return (attributes, SourceModel.EmptyClientAttributes);
        }
        var clients = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var name in table.Keys.ToArray())
        {
            if (!ApiPath.IsIdentifier(name))
            {
                entry.Error(table.LineOfKey(name), $"'{name}' is not a Python identifier");
            }
            else if (attributes.Contains(name, StringComparer.Ordinal))
            {
                entry.Error(table.LineOfKey(name), $"'{name}' makes a client: list it in 'client-attributes' only, not in 'attributes' too");
            }
            clients[name] = Identifiers(table, name); // an empty or missing list is an error there
        }
        return ([.. attributes, .. clients.Keys], clients);
    }

    private static IReadOnlyList<string> Identifiers(TomlEntry entry, string key, string? alsoAllowed = null)
    {
        var names = entry.Strings(key, required: false) ?? [];
        foreach (var name in names)
        {
            if (!ApiPath.IsIdentifier(name) && name != alsoAllowed)
            {
                entry.Error(entry.LineOfKey(key), alsoAllowed is null ? $"'{name}' is not a Python identifier" : $"'{name}' is not a Python identifier or '{alsoAllowed}'");
            }
        }
        return names;
    }
}
