using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A call expression with the scope and blocks it runs in.</summary>
public sealed record CallSite(CallExpr Call, Scope Scope, BlockPath Blocks);
