using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>The call a finding points at, with the sink it resolved to and the file's text.</summary>
internal sealed record FixSite(ModuleModel Module, CallSite CallSite, string ApiPath)
{
    /// <summary>The project functions the callee may be too (<c>original_load</c> where the module replaces <c>torch.load</c> with one), in source order.</summary>
    public IReadOnlyList<FunctionInfo> AlsoProjectFunctions { get; init; } = [];

    public CallExpr Call => CallSite.Call;

    public string Path => Module.Path;

    public string Text => Module.Source.Text;
}
