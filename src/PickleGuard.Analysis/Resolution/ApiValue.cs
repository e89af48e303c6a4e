using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Something outside the project, named by an API path (<c>pickle.loads</c>, <c>pickle.Unpickler().load</c>).
/// <see cref="Constructor"/> is the first call of the chain; <see cref="ViaClass"/> the project subclass whose
/// instance reached an inherited external method; <see cref="Partial"/> the <c>functools.partial(f, key=...)</c> call
/// that bound keyword arguments of the chain's first call (<c>loads = partial(pickle.loads, encoding="latin1")</c>).
/// </summary>
public sealed record ApiValue(string Path, CallExpr? Constructor = null, ClassInfo? ViaClass = null, CallExpr? Partial = null) : SymbolicValue;
