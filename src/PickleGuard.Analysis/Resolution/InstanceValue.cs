using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>An instance of a project class, created by <see cref="Creation"/> (null for <c>self</c>).</summary>
public sealed record InstanceValue(ClassInfo Class, CallExpr? Creation) : SymbolicValue;
