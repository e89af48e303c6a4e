using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>The call a finding points at, with the sink it resolved to and the file's text.</summary>
internal sealed record FixSite(ModuleModel Module, CallSite CallSite, string ApiPath)
{
    public CallExpr Call => CallSite.Call;

    public string Path => Module.Path;

    public string Text => Module.Source.Text;
}
