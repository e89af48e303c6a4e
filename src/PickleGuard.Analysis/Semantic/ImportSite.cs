using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>An import statement and the absolute module names it imports (empty for unresolvable relative imports).</summary>
public sealed record ImportSite(Stmt Statement, IReadOnlyList<string> Modules, bool IsRelative);
