using System.Buffers;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Settings and calls that make a framework unpickle what it receives (<see cref="SettingModel"/>, rule PG110):
/// <c>SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"</c>,
/// <c>app.conf.accept_content = ["pickle"]</c>, <c>enable_insecure_serializers()</c>. Only literals count: a
/// setting given a computed value is not reported (docs/analysis.md, "Settings").
/// </summary>
internal sealed class SettingDetector
{
    private readonly Dictionary<string, List<SettingModel>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SettingModel>> _byCall = new(StringComparer.Ordinal);
    /// <summary>The setting names, searched for in a module's text all at once (one pass instead of one per name).</summary>
    private readonly SearchValues<string> _names;
    /// <summary>
    /// The setting names when each is short enough for a parse's <see cref="NameFilter"/> to hold it as a str value too;
    /// null when one (of a user's model) is not.
    /// </summary>
    private readonly string[]? _filteredNames;

    public SettingDetector(ModelSet models)
    {
        foreach (var setting in models.Settings)
        {
            foreach (var name in setting.Names)
            {
                (_byName.TryGetValue(name, out var list) ? list : _byName[name] = []).Add(setting);
            }
            foreach (var call in setting.Calls)
            {
                (_byCall.TryGetValue(call, out var list) ? list : _byCall[call] = []).Add(setting);
            }
        }
        _names = SearchValues.Create([.. _byName.Keys], StringComparison.Ordinal);
        _filteredNames = _byName.Keys.All(name => name.Length <= NameFilter.MaxStringLength) ? [.. _byName.Keys] : null;
    }

    /// <summary>The settings of <paramref name="module"/> given a value that turns pickle on.</summary>
    public IEnumerable<Finding> Detect(ModuleModel module)
    {
        // A module whose text names none of the settings cannot set one: most modules are not walked.
        if (!MayNameASetting(module) || !module.Source.Text.AsSpan().ContainsAny(_names))
        {
            return [];
        }
        var walker = new Walker(this, module);
        walker.Walk(module.Parse.Module);
        return walker.Findings;
    }

    /// <summary>
    /// Whether the tree of <paramref name="module"/> may hold a setting's name as a name or a str key (all the walker
    /// reads), asked of the parse's <see cref="NameFilter"/>: two bit tests a name instead of a search of the text for
    /// all of them, whose many near misses (<c>res</c>, <c>all</c>) made it slow.
    /// </summary>
    private bool MayNameASetting(ModuleModel module)
    {
        if (_filteredNames is null)
        {
            return true;
        }
        foreach (var name in _filteredNames)
        {
            if (module.Parse.Names.MayContain(name))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A finding when <paramref name="site"/> calls a modelled call that turns pickle on (a loop, not foreach: this runs for every call).</summary>
    public Finding? CallFinding(ModuleModel module, CallSite site, IReadOnlyList<SymbolicValue> callees)
    {
        for (var i = 0; i < callees.Count; i++)
        {
            if (callees[i] is not ApiValue api || !_byCall.TryGetValue(api.Path, out var settings))
            {
                continue;
            }
            foreach (var setting in settings)
            {
                var (kind, value) = setting.Argument is { } selector ? ArgumentFinder.Find(site.Call, selector) : (ArgumentKind.Missing, null);
                // Without the argument the call's default turns pickle on; a literal without any of the values does not.
                if (kind == ArgumentKind.Missing || value is null || Enabling(value, setting) is not null || !IsLiteral(value))
                {
                    return SinkDetector.CreateFinding(module, site.Call, setting.Rule, Severity.Medium, Confidence.High,
                        $"`{api.Path}(...)` makes {setting.Library} unpickle what it receives: {setting.Reason}.");
                }
            }
        }
        return null;
    }

    /// <summary>The literal in <paramref name="value"/> that turns pickle on: the string itself, or an item of a display.</summary>
    private static ConstantExpr? Enabling(Expr value, SettingModel setting) => value switch
    {
        ConstantExpr constant when setting.Values.Any(literal => SinkDetector.Matches(literal, constant)) => constant,
        _ => Displays.ItemsOf(value)?.Select(item => Enabling(item, setting)).FirstOrDefault(found => found is not null),
    };

    private static string Display(ConstantExpr literal) => literal.Value.AsString ?? literal.Value.Type switch
    {
        ConstantType.True => "True",
        ConstantType.False => "False",
        _ => "?",
    };

    /// <summary>A constant or a display of constants: what the program wrote, all of it known.</summary>
    private static bool IsLiteral(Expr value) =>
        value is ConstantExpr || Displays.ItemsOf(value) is { } items && items.All(IsLiteral);

    /// <summary>Every place a value is given to a name: assignments, keyword arguments, dict displays, subscripts.</summary>
    private sealed class Walker(SettingDetector detector, ModuleModel module) : AstWalker
    {
        public List<Finding> Findings { get; } = [];

        public override void VisitAssignStmt(AssignStmt node)
        {
            foreach (var target in node.Targets)
            {
                Given(TargetName(target), node.Value);
            }
            base.VisitAssignStmt(node);
        }

        public override void VisitAnnAssignStmt(AnnAssignStmt node)
        {
            if (node.Value is { } value)
            {
                Given(TargetName(node.Target), value);
            }
            base.VisitAnnAssignStmt(node);
        }

        public override void VisitKeyword(Keyword node)
        {
            Given(node.Arg, node.Value, keyword: true);
            base.VisitKeyword(node);
        }

        public override void VisitDictExpr(DictExpr node)
        {
            for (var i = 0; i < node.Keys.Count; i++)
            {
                Given(StringOf(node.Keys[i]), node.Values[i]);
            }
            base.VisitDictExpr(node);
        }

        private static string? TargetName(Expr target) => target switch
        {
            NameExpr name => name.Id,
            AttributeExpr attribute => attribute.Attr,
            SubscriptExpr subscript => StringOf(subscript.Slice),
            _ => null,
        };

        private static string? StringOf(Expr? key) => key is ConstantExpr { Value.AsString: { } text } ? text : null;

        private void Given(string? name, Expr value, bool keyword = false)
        {
            if (name is null || !detector._byName.TryGetValue(name, out var settings))
            {
                return;
            }
            foreach (var setting in settings)
            {
                if ((setting.AsKeyword || !keyword) && Enabling(value, setting) is { } literal)
                {
                    Findings.Add(SinkDetector.CreateFinding(module, literal, setting.Rule, Severity.Medium, Confidence.High,
                        $"Setting `{name}` to `{Display(literal)}` makes {setting.Library} unpickle what it receives: {setting.Reason}."));
                    return;
                }
            }
        }
    }
}
