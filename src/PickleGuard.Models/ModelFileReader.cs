using PickleGuard.Core;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace PickleGuard.Models;

/// <summary>
/// Reads one model file (format: docs/models.md). Every problem becomes a <see cref="ModelError"/> with file and
/// line; a bad entry is dropped, the good entries of the same file are kept.
/// </summary>
internal static partial class ModelFileReader
{
    public const int SchemaVersion = 1;
    private const int MaxFileChars = 1 << 20;

    public static void Read(string file, string text, ModelSetBuilder builder, List<ModelError> errors)
    {
        if (text.Length > MaxFileChars)
        {
            errors.Add(new ModelError(file, 0, $"model file is larger than {MaxFileChars} characters"));
            return;
        }
        var document = SyntaxParser.Parse(text, file, true);
        if (document.HasErrors)
        {
            foreach (var diagnostic in document.Diagnostics)
            {
                if (diagnostic.Kind == DiagnosticMessageKind.Error)
                {
                    // Tomlyn reports some end-of-file errors with a zero span; those belong to the last line.
                    var atEof = diagnostic.Span.Start.Offset == 0 && diagnostic.Message.Contains("<eof>", StringComparison.Ordinal);
                    var line = atEof ? LastLine(text) : diagnostic.Span.Start.Line + 1;
                    errors.Add(new ModelError(file, line, "TOML syntax: " + diagnostic.Message));
                }
            }
            return;
        }
        var header = new TomlEntry(file, 1, document.KeyValues, errors);
        var schema = header.Integer("schema", required: true);
        if (schema is { } s && s != SchemaVersion)
        {
            header.Error(header.LineOfKey("schema"), $"unsupported schema {s} (this version reads schema {SchemaVersion})");
        }
        var version = header.String("version", required: true);
        var library = header.String("library", required: true);
        var importInfo = header.Strings("import-info", required: false) ?? [];
        foreach (var module in importInfo)
        {
            if (!ApiPath.IsDottedName(module))
            {
                header.Error(header.LineOfKey("import-info"), $"'{module}' is not a dotted module name");
            }
        }
        header.RejectUnknownKeys("the file header (allowed: schema, version, library, import-info)");
        if (header.HasErrors || library is null || version is null)
        {
            return;
        }
        builder.Files.Add(new ModelFileInfo(file, library, version));
        foreach (var module in importInfo)
        {
            builder.ImportInfoModules[module] = library;
        }
        foreach (var table in document.Tables)
        {
            ReadTable(file, library, table, builder, errors);
        }
    }

    private static int LastLine(string text) => text.TrimEnd('\n').Count(c => c == '\n') + 1;

    private static void ReadTable(string file, string library, TableSyntaxBase table, ModelSetBuilder builder, List<ModelError> errors)
    {
        var line = TomlEntry.LineOf(table);
        var name = table.Name?.ToString().Trim();
        if (table is not TableArraySyntax)
        {
            errors.Add(new ModelError(file, line, $"[{name}] must be an array of tables: write [[{name}]]"));
            return;
        }
        var entry = new TomlEntry(file, line, table.Items, errors);
        switch (name)
        {
            case "sink":
                if (ReadSink(entry, library) is { } sink)
                {
                    builder.Sinks.Add(sink);
                }
                break;
            case "serializer":
                if (ReadSerializer(entry) is { } serializer)
                {
                    builder.Serializers.Add(serializer);
                }
                break;
            case "propagator":
                if (ReadPropagator(entry) is { } propagator)
                {
                    builder.Propagators.Add(propagator);
                }
                break;
            case "setting":
                if (ReadSetting(entry, library) is { } setting)
                {
                    builder.Settings.Add(setting);
                }
                break;
            default:
                if (!TryReadTaintEntry(name, entry, builder))
                {
                    entry.Error(line, $"unknown entry kind [[{name}]] (expected sink, serializer, propagator, setting, source, parameter-source, callback-source, view-class, hook, runner, record-base or sanitizer)");
                }
                break;
        }
    }

    private static SinkModel? ReadSink(TomlEntry entry, string library)
    {
        var names = ApiNames(entry, "names", required: true);
        var rule = entry.String("rule", required: true);
        if (rule is not null && !IsRuleCode(rule))
        {
            entry.Error(entry.LineOfKey("rule"), $"rule '{rule}' is not a rule code like PG101");
        }
        var input = entry.Table("input") is { } inputTable ? ReadSelector(inputTable, "input") : null;
        var safeWhen = entry.Table("safe-when") is { } safeTable ? ReadCondition(safeTable, "safe-when") : null;
        var mitigatedWhen = entry.Table("mitigated-when") is { } mitigatedTable ? ReadCondition(mitigatedTable, "mitigated-when") : null;
        var mitigation = SinkMitigation.None;
        if (entry.String("mitigation", required: false) is { } mitigationText)
        {
            if (mitigationText == "restricted-find-class")
            {
                mitigation = SinkMitigation.RestrictedFindClass;
            }
            else
            {
                entry.Error(entry.LineOfKey("mitigation"), $"unknown mitigation '{mitigationText}' (known: restricted-find-class)");
            }
        }
        var confidence = Confidence.High;
        if (entry.String("confidence", required: false) is { } confidenceText && !TryParseConfidence(confidenceText, out confidence))
        {
            entry.Error(entry.LineOfKey("confidence"), $"confidence must be high, medium or low, not '{confidenceText}'");
        }
        var fetchesUrls = entry.Boolean("fetches-urls") ?? false;
        if (fetchesUrls && input is null)
        {
            entry.Error(entry.LineOfKey("fetches-urls"), "'fetches-urls' needs 'input' (the argument that may be a URL)");
        }
        var unresolvedMethods = entry.Strings("unresolved-methods", required: false) ?? [];
        foreach (var method in unresolvedMethods)
        {
            if (!ApiPath.IsIdentifier(method) || names?.Any(name => name.EndsWith("." + method, StringComparison.Ordinal)) == false)
            {
                entry.Error(entry.LineOfKey("unresolved-methods"), $"'{method}' is not a method name that ends one of 'names'");
            }
        }
        var pairFactories = ApiNames(entry, "pair-factories", required: false) ?? [];
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys("[[sink]] (allowed: names, rule, input, safe-when, mitigated-when, mitigation, confidence, fetches-urls, unresolved-methods, pair-factories, reason, reference)");
        if (entry.HasErrors || names is null || rule is null || reason is null || reference is null)
        {
            return null;
        }
        var sink = new SinkModel(names, rule, input, safeWhen, mitigatedWhen, mitigation, confidence, library, reason, reference,
            new ModelOrigin(entry.File, entry.Line), fetchesUrls) { UnresolvedMethods = unresolvedMethods, PairFactories = pairFactories };
        if (pairFactories.Count > 0 && sink.InstanceClass is null)
        {
            entry.Error(entry.LineOfKey("pair-factories"), "'pair-factories' needs every one of 'names' to be a method of one class's instances (T().method)");
            return null;
        }
        return sink;
    }

    private static SerializerModel? ReadSerializer(TomlEntry entry) =>
        ReadNamesOnly(entry, "serializer", static (names, reason, reference, origin) => new SerializerModel(names, reason, reference, origin));

    /// <summary>An entry of API paths with its reason and reference, nothing else (<c>[[serializer]]</c>, <c>[[record-base]]</c>).</summary>
    private static T? ReadNamesOnly<T>(TomlEntry entry, string kind, Func<IReadOnlyList<string>, string, string, ModelOrigin, T> make)
        where T : class
    {
        var names = ApiNames(entry, "names", required: true);
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys($"[[{kind}]] (allowed: names, reason, reference)");
        if (entry.HasErrors || names is null || reason is null || reference is null)
        {
            return null;
        }
        return make(names, reason, reference, new ModelOrigin(entry.File, entry.Line));
    }

    private static SettingModel? ReadSetting(TomlEntry entry, string library)
    {
        var names = entry.Strings("names", required: false) ?? [];
        foreach (var name in names.Where(name => !ApiPath.IsIdentifier(name)))
        {
            entry.Error(entry.LineOfKey("names"), $"'{name}' is not a setting name (an identifier, e.g. SESSION_SERIALIZER)");
        }
        var calls = ApiNames(entry, "calls", required: false) ?? [];
        if (names.Count == 0 && calls.Count == 0)
        {
            entry.Error(entry.Line, "[[setting]] needs 'names' (settings), 'calls' (API paths) or both");
        }
        var argument = ReadCallArgument(entry, "argument", "the call");
        // A call without an argument to look at turns pickle on by itself: it needs no values.
        var values = Literals(entry, "values", required: names.Count > 0 || argument is not null);
        if (argument is not null && calls.Count == 0)
        {
            entry.Error(entry.LineOfKey("argument"), "'argument' selects an argument of 'calls'; this entry has none");
        }
        var asKeyword = entry.Boolean("as-keyword") ?? true;
        var rule = entry.String("rule", required: true);
        if (rule is not null && !IsRuleCode(rule))
        {
            entry.Error(entry.LineOfKey("rule"), $"rule '{rule}' is not a rule code like PG110");
        }
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys("[[setting]] (allowed: names, calls, values, argument, as-keyword, rule, reason, reference)");
        if (entry.HasErrors || rule is null || reason is null || reference is null)
        {
            return null;
        }
        return new SettingModel(names, calls, values, argument, rule, library, reason, reference, new ModelOrigin(entry.File, entry.Line)) { AsKeyword = asKeyword };
    }

    private static bool IsRuleCode(string rule) =>
        rule.Length == 5 && rule.StartsWith("PG", StringComparison.Ordinal) && rule[2..].All(char.IsAsciiDigit);

    private static bool TryParseConfidence(string text, out Confidence confidence)
    {
        switch (text)
        {
            case "high": confidence = Confidence.High; return true;
            case "medium": confidence = Confidence.Medium; return true;
            case "low": confidence = Confidence.Low; return true;
            default: confidence = Confidence.High; return false;
        }
    }

    private static IReadOnlyList<string>? ApiNames(TomlEntry entry, string key, bool required)
    {
        var names = entry.Strings(key, required);
        if (names is null)
        {
            return null;
        }
        foreach (var name in names)
        {
            if (!ApiPath.IsValid(name))
            {
                entry.Error(entry.LineOfKey(key), $"'{name}' is not an API path (dotted names, '()' after a called part, e.g. pickle.Unpickler().load)");
            }
        }
        return names;
    }
}
