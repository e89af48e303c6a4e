using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>A sink call in the project, with the model that makes it a sink.</summary>
internal sealed record SinkKey(ModuleModel Module, CallExpr Call, SinkModel Model, string Display);
