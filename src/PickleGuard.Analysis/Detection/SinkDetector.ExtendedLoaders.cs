using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A safe YAML loader the project extends with PyYAML's object-building constructors is safe no more:
/// <c>PipelineLoader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:",
/// yaml.constructor.UnsafeConstructor.construct_python_object_apply)</c>, or <c>yaml.add_constructor(tag,
/// construct_python_object, Loader=yaml.SafeLoader)</c>, lets <c>!!python/object/apply:os.system</c> run. A constructor
/// of the project's own (a tuple builder) keeps it safe: only the <c>construct_python_*</c> constructors that import,
/// call or instantiate by name count.
/// </summary>
internal sealed partial class SinkDetector
{
    private static readonly string[] ObjectConstructors =
    [
        "construct_python_object", "construct_python_object_apply", "construct_python_object_new", "construct_python_name",
        "construct_python_module",
    ];

    /// <summary>Library loader classes (by API path) and project loader classes extended so, found once per detector.</summary>
    private (HashSet<string> Apis, HashSet<ClassInfo> Classes)? _extendedLoaders;

    private bool IsExtendedLoader(SymbolicValue loader)
    {
        var (apis, classes) = _extendedLoaders ??= FindExtendedLoaders();
        return loader switch
        {
            ApiValue api => apis.Contains(api.Path),
            ClassValue cls => classes.Contains(cls.Class),
            _ => false,
        };
    }

    private (HashSet<string>, HashSet<ClassInfo>) FindExtendedLoaders()
    {
        var apis = new HashSet<string>(StringComparer.Ordinal);
        var classes = new HashSet<ClassInfo>();
        foreach (var module in _resolver.Project.Modules)
        {
            foreach (var site in module.Calls)
            {
                if (site.Call is not { Func: AttributeExpr { Attr: "add_constructor" or "add_multi_constructor" } method } call
                    || !AddsObjectConstructor(call))
                {
                    continue;
                }
                // `yaml.add_constructor(tag, f, Loader=L)` names the loader; `L.add_constructor(tag, f)` is called on it.
                var loader = call.Keywords.FirstOrDefault(k => k.Arg == "Loader")?.Value ?? (call.Args.Count > 2 ? call.Args[2] : method.Value);
                foreach (var value in _resolver.Resolve(loader, EvalContext.At(site)))
                {
                    if (value is ClassValue cls)
                    {
                        classes.Add(cls.Class);
                    }
                    else if (value is ApiValue api)
                    {
                        apis.Add(api.Path);
                    }
                }
            }
        }
        return (apis, classes);
    }

    private static bool AddsObjectConstructor(CallExpr call)
    {
        var constructor = call.Args.Count > 1 ? call.Args[1]
            : call.Keywords.FirstOrDefault(k => k.Arg is "constructor" or "multi_constructor")?.Value;
        var name = constructor switch
        {
            AttributeExpr attribute => attribute.Attr,
            NameExpr named => named.Id,
            _ => null,
        };
        return name is not null && ObjectConstructors.Contains(name);
    }
}
