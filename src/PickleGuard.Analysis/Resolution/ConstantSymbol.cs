using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>A literal constant.</summary>
public sealed record ConstantSymbol(ConstantExpr Constant) : SymbolicValue;
