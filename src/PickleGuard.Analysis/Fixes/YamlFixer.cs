using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>
/// PG103: PyYAML's object-constructing loads become <c>safe_load</c>/<c>safe_load_all</c>, keeping the callee spelling
/// the user wrote, when nothing in the file needs Python objects from YAML.
/// </summary>
internal static class YamlFixer
{
    private static readonly Dictionary<string, string> SafeNames = new(StringComparer.Ordinal)
    {
        ["yaml.load"] = "safe_load",
        ["yaml.load_all"] = "safe_load_all",
        ["yaml.full_load"] = "safe_load",
        ["yaml.full_load_all"] = "safe_load_all",
        ["yaml.unsafe_load"] = "safe_load",
        ["yaml.unsafe_load_all"] = "safe_load_all",
    };

    /// <summary>Loaders that resolve the same plain scalars as SafeLoader and differ only in the python/* tags.</summary>
    private static readonly HashSet<string> ReplaceableLoaders = new(StringComparer.Ordinal)
    {
        "yaml.Loader", "yaml.FullLoader", "yaml.UnsafeLoader", "yaml.CLoader", "yaml.CFullLoader", "yaml.CUnsafeLoader",
        "yaml.loader.Loader", "yaml.loader.FullLoader", "yaml.loader.UnsafeLoader",
        "yaml.cyaml.CLoader", "yaml.cyaml.CFullLoader", "yaml.cyaml.CUnsafeLoader",
    };

    public static bool Handles(string apiPath) => SafeNames.ContainsKey(apiPath);

    public static FixOutcome Propose(FixSite site, FileFacts facts, ValueResolver resolver)
    {
        if (facts.YamlObjectsReason is { } reason)
        {
            return FixOutcome.Because(reason);
        }
        var call = site.Call;
        if (CallArguments.HasUnpacking(call))
        {
            return FixOutcome.Because("the call unpacks arguments (`*args`/`**kwargs`), which may choose the loader");
        }
        var safeName = SafeNames[site.ApiPath];
        var takesLoader = site.ApiPath is "yaml.load" or "yaml.load_all";
        var loaderKeyword = CallArguments.KeywordNamed(call, "Loader");
        if (call.Keywords.Any(k => k.Arg is not ("stream" or "Loader")) || call.Args.Count > (takesLoader ? 2 : 1)
            || (!takesLoader && loaderKeyword is not null) || call.Args.Count + call.Keywords.Count == 0)
        {
            return FixOutcome.Because($"`{safeName}` takes only the stream, and this call passes other arguments");
        }
        var edits = new List<TextEdit>();
        var loader = loaderKeyword?.Value ?? (takesLoader && call.Args.Count == 2 ? call.Args[1] : null);
        if (loader is not null)
        {
            var values = resolver.Resolve(loader, EvalContext.At(site.CallSite));
            if (values.Count == 0 || !values.All(v => v is ApiValue api && ReplaceableLoaders.Contains(api.Path)))
            {
                return FixOutcome.Because(NotOwnLoader(values, resolver));
            }
            if (CallArguments.Remove(site.Path, site.Text, call, (Node?)loaderKeyword ?? loader) is not { } removal)
            {
                return FixOutcome.Because("a comment or unusual layout sits next to the Loader argument");
            }
            edits.Add(removal);
        }
        var calleeEdits = RenameCallee(site, safeName, facts);
        if (calleeEdits.Note is { } note)
        {
            return FixOutcome.Because(note);
        }
        edits.AddRange(calleeEdits.Edits);
        return FixOutcome.With(new Fix($"Use `{safeName}`, which builds only plain data (no python/* tags)", edits));
    }

    /// <summary>
    /// Why a Loader that is not one of PyYAML's own gets no fix, naming a project class and the PyYAML loader it derives
    /// from (mage-ai's <c>class NoDatesSafeLoader(yaml.FullLoader)</c> reads as safe by its name alone).
    /// </summary>
    private static string NotOwnLoader(IReadOnlyList<SymbolicValue> values, ValueResolver resolver)
    {
        if (values is not [ClassValue project])
        {
            return "the Loader is not one of PyYAML's own loaders, so it may construct application objects";
        }
        var derived = PyYamlBase(project.Class, resolver, depth: 0) is { } loader ? $", a subclass of `{loader}`" : "";
        return $"the Loader is the project class `{project.Class.Name}`{derived}, which may construct application objects";
    }

    /// <summary>The first PyYAML class among the bases of <paramref name="cls"/>, depth first, or null.</summary>
    private static string? PyYamlBase(ClassInfo cls, ValueResolver resolver, int depth)
    {
        if (depth > MaxBaseDepth)
        {
            return null;
        }
        foreach (var baseValue in resolver.Bases(cls))
        {
            var found = baseValue switch
            {
                ApiValue api when api.Path.StartsWith("yaml.", StringComparison.Ordinal) => api.Path,
                ClassValue projectBase => PyYamlBase(projectBase.Class, resolver, depth + 1),
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }
        return null;
    }

    /// <summary>How deep the search for a PyYAML base goes (a cycle of bases in broken code must end).</summary>
    private const int MaxBaseDepth = 16;

    /// <summary>`y.load` becomes `y.safe_load`; a bare `load` from `from yaml import load` becomes `safe_load`, imported there.</summary>
    private static (List<TextEdit> Edits, string? Note) RenameCallee(FixSite site, string safeName, FileFacts facts)
    {
        switch (site.Call.Func)
        {
            case AttributeExpr attribute:
                var nameSpan = TextSpan.FromBounds(attribute.Span.End - attribute.Attr.Length, attribute.Span.End);
                return CallArguments.Replace(site.Path, site.Text, nameSpan, attribute.Attr, safeName) is { } rename
                    ? ([rename], null)
                    : ([], "the callee's spelling could not be matched in the text");
            case NameExpr name:
                return RenameImported(site, name, safeName, facts);
            default:
                return ([], "the callee is not a plain name or attribute");
        }
    }

    private static (List<TextEdit> Edits, string? Note) RenameImported(FixSite site, NameExpr name, string safeName, FileFacts facts)
    {
        var imports = site.Module.Imports.Select(i => i.Statement).OfType<ImportFromStmt>()
            .Where(s => s is { Level: 0, Module: "yaml" })
            .ToList();
        var binding = imports.Where(s => s.Names.Any(a => (a.Asname ?? a.Name) == name.Id)).ToList();
        var alreadyImported = imports.Any(s => s.Names.Any(a => a.Name is "*" || (a.Name == safeName && a.Asname is null)));
        if (!alreadyImported && (binding.Count != 1 || facts.Identifiers.Contains(safeName)))
        {
            return ([], $"`{safeName}` cannot be imported cleanly next to `{name.Id}` (not one `from yaml import`, or the name is taken)");
        }
        if (CallArguments.Replace(site.Path, site.Text, name.Span, name.Id, safeName) is not { } rename)
        {
            return ([], "the callee's spelling could not be matched in the text");
        }
        if (alreadyImported)
        {
            return ([rename], null);
        }
        var last = binding[0].Names[^1];
        return ([rename, new TextEdit(site.Path, last.Span.End, last.Span.End, ", " + safeName)], null);
    }
}
