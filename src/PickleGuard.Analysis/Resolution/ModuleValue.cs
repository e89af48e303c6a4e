using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Resolution;

public sealed record ModuleValue(ModuleModel Module) : SymbolicValue;
