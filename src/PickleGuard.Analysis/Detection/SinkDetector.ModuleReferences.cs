using System.Runtime.InteropServices;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A deserialization module passed as a value (<c>decode(pickle, data)</c> with <c>def decode(codec, data): return
/// codec.loads(data)</c>; requests-cache's <c>Stage(pickle)</c>): the callee can call the module's <c>loads</c> on
/// data this module cannot see, so the reference is the sink, as <c>pickle.loads</c> passed as a callable is (medium),
/// and the taint engine makes it a sink of that call (high when the call's other arguments carry source data). Only
/// modules whose <c>loads</c> decodes executable data (pickle, dill, cloudpickle, marshal, jsonpickle), and only when
/// the module is handed to project code or to something unresolved: a library function given the module
/// (<c>importlib.reload(pickle)</c>, <c>isinstance</c>, <c>getattr</c>) calls nothing of it, nor does a test patching it
/// (<c>monkeypatch.setattr(pickle, "loads", fake)</c>), and a module put in a
/// container (<c>mods.append(cPickle)</c>) is followed by name resolution to the call made through the container,
/// which is graded where it is made.
/// </summary>
internal sealed partial class SinkDetector
{
    private const string SerializerFunction = "loads";

    /// <summary>Members of a deserialization module that decode nothing: a callee using only these only writes with it.</summary>
    private static readonly HashSet<string> WritingMembers = new(StringComparer.Ordinal)
    {
        "dump", "dumps", "Pickler", "encode", "HIGHEST_PROTOCOL", "DEFAULT_PROTOCOL", "PickleError", "PicklingError",
        "UnpicklingError", "PickleBuffer", "__name__", "__version__",
    };

    private static readonly HashSet<string> ContainerMethods = new(StringComparer.Ordinal)
    {
        "append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft",
    };

    /// <summary>
    /// Calls that replace or remove a module's attribute in tests, whoever their receiver is: pytest's
    /// <c>monkeypatch.setattr(pickle, "loads", fake)</c> and <c>delattr</c>, <c>mock.patch.object(pickle, "loads")</c>
    /// and <c>patch.multiple</c>. They call nothing of the module.
    /// </summary>
    private static readonly HashSet<string> PatchingMethods = new(StringComparer.Ordinal) { "setattr", "delattr", "object", "multiple" };

    /// <summary>Local names the module being detected binds by an import statement (the cheap test before resolving an argument).</summary>
    private readonly HashSet<string> _importedNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether a project function uses a parameter only through <see cref="WritingMembers"/> and library calls, by
    /// function and parameter: each answer walks the function's body, and the same helper is handed a module again and
    /// again (1,616 questions about 196 parameters in a stdlib scan).
    /// </summary>
    private readonly Dictionary<(FunctionInfo Function, string Parameter), bool> _decodesNothing = [];

    /// <summary>The deserialization modules by path, with the sink of their <c>loads</c>.</summary>
    private static Dictionary<string, SinkModel> ModuleSinks(ModelSet models)
    {
        var result = new Dictionary<string, SinkModel>(StringComparer.Ordinal);
        foreach (var sink in models.Sinks.Where(IsReportedAsReference))
        {
            foreach (var name in sink.Names)
            {
                if (name.EndsWith("." + SerializerFunction, StringComparison.Ordinal) && !name.Contains(ApiPath.CallMarker, StringComparison.Ordinal))
                {
                    result.TryAdd(name[..^(SerializerFunction.Length + 1)], sink);
                }
            }
        }
        return result;
    }

    private void CollectImportedNames(ModuleModel module)
    {
        _importedNames.Clear();
        foreach (var import in module.Imports)
        {
            var aliases = import.Statement switch
            {
                ImportStmt plain => plain.Names,
                ImportFromStmt from => from.Names,
                _ => [],
            };
            foreach (var alias in aliases)
            {
                // `import a.b` binds `a`; `import a.b as c` and `from a import b` bind the last name.
                _importedNames.Add(alias.Asname ?? (import.Statement is ImportStmt && alias.Name.IndexOf('.') is var dot and > 0 ? alias.Name[..dot] : alias.Name));
            }
        }
    }

    /// <summary>Whether <paramref name="argument"/> names a deserialization module; if so, the finding (and the reference for the taint engine) is added.</summary>
    private bool AddModuleReferenceFinding(List<Finding> findings, ModuleModel module, CallSite site, int callIndex, Expr argument,
        IReadOnlyList<SymbolicValue> callees)
    {
        if (argument is not NameExpr { Id: var name } || !_importedNames.Contains(name) || IsLibraryCall(callees) || DecodesNothingWith(callees, site.Call, argument)
            || CalleeName(site.Call.Func) is var receiver && (receiver.StartsWith("assert", StringComparison.Ordinal) || ContainerMethods.Contains(receiver)
                || PatchingMethods.Contains(receiver)))
        {
            return false;
        }
        foreach (var value in _resolver.Resolve(argument, EvalContext.At(site)))
        {
            if (value is ApiValue api && _moduleSinks.TryGetValue(api.Path, out var sink))
            {
                var display = ProvenanceEvaluator.Display(api.Path);
                References.Add(new SinkReference(callIndex, argument, sink, display + "." + SerializerFunction));
                findings.Add(CreateFinding(module, argument, sink.Rule, Severity.Medium, sink.Confidence,
                    $"The `{display}` module is passed to `{receiver}`: whatever calls its `{SerializerFunction}` decodes data whose origin is unknown here: {sink.Reason}."));
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether every callee is a project function whose parameter for <paramref name="argument"/> is used only through
    /// <see cref="WritingMembers"/> (mlflow's <c>_dump_model(pickle, obj, out)</c> calling <c>pickle_lib.dump</c>) or handed
    /// on to library calls (coqui TTS's <c>load_fsspec(path, pickle_module=pickle)</c> passing its <c>**kwargs</c> on to
    /// <c>torch.load</c>, which is the sink there, as if the module were given to the library call here): never handed to
    /// project code, stored, returned or read by a computed name.
    /// </summary>
    private bool DecodesNothingWith(IReadOnlyList<SymbolicValue> callees, CallExpr call, Expr argument)
    {
        if (callees.Count == 0)
        {
            return false;
        }
        foreach (var callee in callees)
        {
            if (callee is not FunctionValue function || ParameterFor(function, call, argument) is not { } parameter
                || !DecodesNothingWith(function.Function, parameter))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="function"/> uses <paramref name="parameter"/> only through <see cref="WritingMembers"/> and as an argument of library calls (remembered).</summary>
    private bool DecodesNothingWith(FunctionInfo function, string parameter)
    {
        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_decodesNothing, (function, parameter), out var exists);
        if (!exists)
        {
            known = Taint.AttributeReads.OnParameter(function, parameter) is var (attributes, handedTo)
                && attributes.All(WritingMembers.Contains) && handedTo.All(h => IsOnlyLibraryCall(function.Scope.Module, h.Call));
        }
        return known;
    }

    /// <summary>Whether every callee of <paramref name="call"/> (in <paramref name="module"/>) is a library function.</summary>
    private bool IsOnlyLibraryCall(ModuleModel module, CallExpr call) =>
        module.CallSiteOf(call) is { } site && _resolver.Resolve(call.Func, EvalContext.At(site)) is { Count: > 0 } callees && callees.All(c => c is ApiValue);

    /// <summary>The name of the parameter <paramref name="argument"/> binds at this call (the <c>**kwargs</c> for a keyword naming none), or null when that is not plain (unpacked arguments before it, an unbound method).</summary>
    private static string? ParameterFor(FunctionValue callee, CallExpr call, Expr argument)
    {
        if (callee.Function.Arguments is not { } parameters)
        {
            return null;
        }
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (call.Args[i] is StarredExpr)
            {
                return null;
            }
            if (ReferenceEquals(call.Args[i], argument))
            {
                if (callee.Function.Owner is not null && callee.BoundTo is null)
                {
                    return null; // called on the class: static, class or unbound, its first parameter is unknown here
                }
                var positional = parameters.Posonlyargs.Concat(parameters.Args).ToList();
                var at = i + (callee.BoundTo is null ? 0 : 1) + callee.BoundPositionals;
                return at < positional.Count ? positional[at].ArgValue : null;
            }
        }
        var keyword = call.Keywords.FirstOrDefault(k => ReferenceEquals(k.Value, argument))?.Arg;
        if (keyword is null)
        {
            return null;
        }
        // A keyword no parameter names lands in the `**kwargs`.
        return parameters.Args.Concat(parameters.Kwonlyargs).Any(p => p.ArgValue == keyword) ? keyword : parameters.Kwarg?.ArgValue;
    }

    private static bool IsLibraryCall(IReadOnlyList<SymbolicValue> callees)
    {
        for (var i = 0; i < callees.Count; i++)
        {
            if (callees[i] is ApiValue)
            {
                return true;
            }
        }
        return false;
    }
}
