namespace PickleGuard.Models;

/// <summary>
/// Which call of an API chain an argument belongs to: the sink call itself, or the constructor, i.e. the first
/// call of the chain (<c>Unpickler(f)</c> in <c>pickle.Unpickler().load</c>).
/// </summary>
public enum CallPart
{
    Call,
    Constructor,
}
