using Tomlyn.Syntax;

namespace PickleGuard.Models;

internal static partial class ModelFileReader
{
    private const int MaxPosition = 64;

    private static ArgumentSelector? ReadSelector(TomlEntry table, string what, bool reject = true)
    {
        var position = table.Integer("position", required: false);
        var keyword = table.String("keyword", required: false);
        var on = CallPart.Call;
        if (table.String("on", required: false) is { } onText)
        {
            switch (onText)
            {
                case "call": on = CallPart.Call; break;
                case "constructor": on = CallPart.Constructor; break;
                default: table.Error(table.LineOfKey("on"), $"'on' must be \"call\" or \"constructor\", not '{onText}'"); break;
            }
        }
        if (position is < 0 or > MaxPosition)
        {
            table.Error(table.LineOfKey("position"), $"'position' must be between 0 and {MaxPosition}");
        }
        if (position is null && keyword is null)
        {
            table.Error(table.Line, $"{what} needs a 'position', a 'keyword' or both");
        }
        if (reject)
        {
            table.RejectUnknownKeys(what + " (allowed: position, keyword, on)");
        }
        return table.HasErrors ? null : new ArgumentSelector((int?)position, keyword, on);
    }

    /// <summary>The argument an optional inline table under <paramref name="key"/> selects, of the call itself (no <c>on</c>).</summary>
    private static ArgumentSelector? ReadCallArgument(TomlEntry entry, string key, string call)
    {
        if (entry.Table(key) is not { } table)
        {
            return null;
        }
        var selector = ReadSelector(table, key);
        if (selector is { On: CallPart.Constructor })
        {
            entry.Error(entry.LineOfKey(key), $"'{key}' selects an argument of {call}; 'on' is not allowed");
        }
        return selector;
    }

    private static ArgumentCondition? ReadCondition(TomlEntry table, string what)
    {
        // Without 'position', 'keyword' and 'on' no argument chooses: the library always uses the class 'missing'
        // names (`yaml.safe_load` takes no Loader, so not even unpacked arguments can give one).
        var noArgument = !table.Has("position") && !table.Has("keyword") && !table.Has("on");
        var selector = noArgument ? new ArgumentSelector(null, null) : ReadSelector(table, what, reject: false);
        var values = Literals(table, "values", required: false);
        var classes = table.Strings("classes", required: false) ?? [];
        foreach (var name in classes)
        {
            if (!ApiPath.IsDottedName(name))
            {
                table.Error(table.LineOfKey("classes"), $"'{name}' is not a dotted class name");
            }
        }
        var present = table.Boolean("present") ?? false;
        var kinds = (values.Count > 0 ? 1 : 0) + (classes.Count > 0 ? 1 : 0) + (present ? 1 : 0);
        if (kinds != 1)
        {
            table.Error(table.Line, $"{what} needs exactly one of 'values', 'classes' or 'present = true'");
        }
        var missing = MissingArgumentVerdict.Unsafe;
        string? missingClass = null;
        switch (table.String("missing", required: true))
        {
            case "safe": missing = MissingArgumentVerdict.Safe; break;
            case "unsafe": missing = MissingArgumentVerdict.Unsafe; break;
            case null: break;
            case var other when classes.Count > 0 && ApiPath.IsDottedName(other):
                (missing, missingClass) = (MissingArgumentVerdict.DefaultClass, other); // the class the library uses when none is given
                break;
            case var other:
                table.Error(table.LineOfKey("missing"), $"'missing' must be \"safe\", \"unsafe\" or (with 'classes') a class name, not '{other}'");
                break;
        }
        if (noArgument && missing != MissingArgumentVerdict.DefaultClass)
        {
            table.Error(table.Line, $"{what} needs a 'position', a 'keyword' or both, unless 'missing' names the class the library always uses");
        }
        var defaultSince = table.Table("default-since") is { } since ? ReadRelease(since, what + " default-since") : null;
        var addedIn = table.Table("added-in") is { } added ? ReadRelease(added, what + " added-in") : null;
        if (defaultSince is not null && missing != MissingArgumentVerdict.Unsafe)
        {
            table.Error(table.LineOfKey("default-since"), "'default-since' is for an argument whose absence is unsafe in older releases (missing = \"unsafe\")");
        }
        table.RejectUnknownKeys(what + " (allowed: position, keyword, on, values, classes, present, missing, default-since, added-in)");
        return table.HasErrors || selector is null
            ? null
            : new ArgumentCondition(selector, values, classes, present, missing) { MissingClass = missingClass, DefaultSince = defaultSince, AddedIn = addedIn };
    }

    /// <summary><c>{ package = "torch", version = "2.6" }</c>.</summary>
    private static PackageRelease? ReadRelease(TomlEntry table, string what)
    {
        var package = table.String("package", required: true);
        var versionText = table.String("version", required: true);
        Version? version = null;
        if (versionText is not null && !Version.TryParse(versionText, out version))
        {
            table.Error(table.LineOfKey("version"), $"'{versionText}' is not a release number like 2.6");
        }
        table.RejectUnknownKeys(what + " (allowed: package, version)");
        return table.HasErrors || package is null || version is null ? null : new PackageRelease(package, version);
    }

    /// <summary>An array of Python literals under <paramref name="key"/>: TOML booleans (True/False) and strings.</summary>
    private static IReadOnlyList<ModelLiteral> Literals(TomlEntry entry, string key, bool required)
    {
        if (!entry.Has(key))
        {
            _ = entry.Value(key, required); // records a missing required key
            return [];
        }
        var values = new List<ModelLiteral>();
        foreach (var item in entry.Array(key) ?? [])
        {
            switch (item)
            {
                case BooleanValueSyntax b: values.Add(ModelLiteral.Of(b.Value)); break;
                case StringValueSyntax { Value: { } text }: values.Add(ModelLiteral.Of(text)); break;
                default: entry.Error(item, $"'{key}' may hold only booleans (Python True/False) and strings"); break;
            }
        }
        return values;
    }

    private static PropagatorModel? ReadPropagator(TomlEntry entry)
    {
        var names = entry.Has("names") ? ApiNames(entry, "names", required: true) : null;
        var methods = entry.Strings("methods", required: false);
        if (names is null && methods is null && !entry.HasErrors)
        {
            entry.Error(entry.Line, "[[propagator]] needs 'names' (functions) or 'methods' (method names on any receiver)");
        }
        foreach (var method in methods ?? [])
        {
            if (!ApiPath.IsIdentifier(method))
            {
                entry.Error(entry.LineOfKey("methods"), $"'{method}' is not a method name");
            }
        }
        var from = PropagatorSource.Argument;
        ArgumentSelector? argument = null;
        switch (entry.Value("from", required: true))
        {
            case StringValueSyntax { Value: "receiver" }: from = PropagatorSource.Receiver; break;
            case StringValueSyntax { Value: "all-arguments" }: from = PropagatorSource.AllArguments; break;
            case InlineTableSyntax:
                argument = entry.Table("from") is { } table ? ReadSelector(table, "from") : null;
                break;
            case null: break;
            case var other: entry.Error(other, "'from' must be \"receiver\", \"all-arguments\" or { position = N, keyword = \"k\" }"); break;
        }
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        var opens = entry.Boolean("opens") ?? false;
        var whole = entry.Boolean("whole") ?? false;
        var savesTo = ReadCallArgument(entry, "saves-to", "the propagator's call");
        var fetchesUrls = entry.Boolean("fetches-urls") ?? false;
        var keepsReceiver = entry.Boolean("keeps-receiver") ?? false;
        entry.RejectUnknownKeys("[[propagator]] (allowed: names, methods, from, reason, reference, opens, whole, saves-to, fetches-urls, keeps-receiver)");
        if (fetchesUrls && (argument is null || whole || savesTo is not null))
        {
            entry.Error(entry.LineOfKey("fetches-urls"), "'fetches-urls' needs 'from' naming one argument (the path that may be a URL), and excludes 'whole' and 'saves-to'");
        }
        if (whole && (opens || argument is null))
        {
            entry.Error(entry.LineOfKey("whole"), "'whole' needs 'from' to name one argument, and excludes 'opens'");
        }
        if (entry.Has("saves-to") && (argument is null || names is null))
        {
            entry.Error(entry.LineOfKey("saves-to"), "'saves-to' needs 'names' (functions) and 'from' naming one argument");
        }
        if (keepsReceiver && (names is null || methods is not null))
        {
            entry.Error(entry.LineOfKey("keeps-receiver"), "'keeps-receiver' needs 'names' (methods of a known class) and excludes 'methods'");
        }
        if (entry.HasErrors || reason is null || reference is null)
        {
            return null;
        }
        return new PropagatorModel(names ?? [], methods ?? [], from, argument, reason, reference, new ModelOrigin(entry.File, entry.Line), opens, whole, savesTo, fetchesUrls,
            keepsReceiver);
    }
}
