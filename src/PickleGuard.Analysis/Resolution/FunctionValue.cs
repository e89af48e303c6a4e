using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Resolution;

public sealed record FunctionValue(FunctionInfo Function, ClassInfo? BoundTo) : SymbolicValue;
