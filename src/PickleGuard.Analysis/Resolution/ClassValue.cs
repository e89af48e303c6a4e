using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Resolution;

public sealed record ClassValue(ClassInfo Class) : SymbolicValue;
