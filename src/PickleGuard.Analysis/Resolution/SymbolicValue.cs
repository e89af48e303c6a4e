namespace PickleGuard.Analysis.Resolution;

/// <summary>What an expression may evaluate to, as far as name resolution can tell.</summary>
public abstract record SymbolicValue;
