using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// torch's weights-only unpickler (<c>torch.load(f, weights_only=True)</c>) calls every global it allows, and
/// <c>torch.serialization.add_safe_globals([...])</c> or the <c>safe_globals([...])</c> context manager adds to what it
/// allows: a callable that runs code there (<c>os.system</c>, <c>builtins.eval</c>, by the pickle scanner's deny list)
/// makes every weights-only load of the process run what a checkpoint names (PG110, a setting).
/// </summary>
internal sealed partial class SinkDetector
{
    private static readonly HashSet<string> SafeGlobalsCalls = new(StringComparer.Ordinal)
    {
        "torch.serialization.add_safe_globals", "torch.serialization.safe_globals",
    };

    private static readonly ArgumentSelector SafeGlobalsArgument = new(0, "safe_globals");

    /// <summary>The callee that is one of <see cref="SafeGlobalsCalls"/>, or null (a loop, no closure: this runs for every call).</summary>
    private static ApiValue? SafeGlobalsCallee(IReadOnlyList<SymbolicValue> callees)
    {
        for (var i = 0; i < callees.Count; i++)
        {
            // The suffix test first: it is cheaper than hashing every callee's path.
            if (callees[i] is ApiValue api && api.Path.EndsWith("safe_globals", StringComparison.Ordinal) && SafeGlobalsCalls.Contains(api.Path))
            {
                return api;
            }
        }
        return null;
    }

    /// <summary>A finding when <paramref name="site"/> allows a code-running global in torch's weights-only unpickler.</summary>
    private Finding? SafeGlobalsFinding(ModuleModel module, CallSite site, IReadOnlyList<SymbolicValue> callees)
    {
        if (SafeGlobalsCallee(callees) is not { } call
            || ArgumentFinder.Find(site.Call, SafeGlobalsArgument).Value is not { } listed
            || Displays.ItemsOf(listed) is not { } items)
        {
            return null;
        }
        var dangerous = DangerousGlobals(items, EvalContext.At(site));
        var scope = call.Path.EndsWith(".add_safe_globals", StringComparison.Ordinal) ? "of the process" : "inside the `with` block";
        return dangerous.Count == 0 ? null : CreateFinding(module, site.Call, "PG110", Severity.Medium, Confidence.High,
            $"`{call.Path}` allows {string.Join(", ", dangerous.Select(name => $"`{name}`"))} in torch's weights-only unpickler, which "
            + $"calls the globals it allows: a checkpoint naming one runs it in every `torch.load(..., weights_only=True)` {scope}.");
    }

    /// <summary>
    /// The code-running globals among the listed items (a global or a (global, name) pair). A method of its own: a lambda
    /// capturing <paramref name="context"/> in <see cref="SafeGlobalsFinding"/> made a closure object for every call checked.
    /// </summary>
    private List<string> DangerousGlobals(IReadOnlyList<Expr> items, EvalContext context) => items
        .Select(item => item is TupleExpr { Elts: [var global, ..] } ? global : item)
        .SelectMany(global => _resolver.Resolve(global, context))
        .OfType<ApiValue>()
        .Select(api => api.Path)
        .Where(_isDangerousGlobal)
        .Distinct(StringComparer.Ordinal)
        .ToList();
}
