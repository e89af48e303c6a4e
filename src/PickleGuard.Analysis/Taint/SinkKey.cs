using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A sink call in the project, with the model that makes it a sink; or, with <see cref="Reference"/>, a deserializer
/// passed as a callable to <see cref="Call"/> (<c>map(pickle.loads, items)</c>), which decodes what the call's other
/// arguments hold.
/// </summary>
internal sealed record SinkKey(ModuleModel Module, CallExpr Call, SinkModel Model, string Display, Expr? Reference = null)
{
    /// <summary>Where the finding is: the reference when there is one, else the call.</summary>
    public Expr At => Reference ?? Call;
}
