using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Resolution;

/// <summary>A project function, bound to an instance of <paramref name="BoundTo"/> or not.</summary>
/// <param name="BoundPositionals">
/// Leading positional arguments a <c>functools.partial</c> of it binds (<c>partial(handle, prefix)</c>): a call of the
/// partial passes its own arguments after them.
/// </param>
public sealed record FunctionValue(FunctionInfo Function, ClassInfo? BoundTo, int BoundPositionals = 0) : SymbolicValue;
