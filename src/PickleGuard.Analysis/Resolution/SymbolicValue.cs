using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>What an expression may evaluate to, as far as name resolution can tell.</summary>
public abstract record SymbolicValue;

/// <summary>
/// Something outside the project, named by an API path (<c>pickle.loads</c>, <c>pickle.Unpickler().load</c>).
/// <see cref="Constructor"/> is the first call of the chain; <see cref="ViaClass"/> the project subclass whose
/// instance reached an inherited external method.
/// </summary>
public sealed record ApiValue(string Path, CallExpr? Constructor = null, ClassInfo? ViaClass = null) : SymbolicValue;

public sealed record ModuleValue(ModuleModel Module) : SymbolicValue;

public sealed record FunctionValue(FunctionInfo Function, ClassInfo? BoundTo) : SymbolicValue;

public sealed record ClassValue(ClassInfo Class) : SymbolicValue;

/// <summary>An instance of a project class, created by <see cref="Creation"/> (null for <c>self</c>).</summary>
public sealed record InstanceValue(ClassInfo Class, CallExpr? Creation) : SymbolicValue;

/// <summary>A literal constant.</summary>
public sealed record ConstantSymbol(ConstantExpr Constant) : SymbolicValue;
