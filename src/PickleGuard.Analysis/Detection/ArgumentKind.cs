namespace PickleGuard.Analysis.Detection;

internal enum ArgumentKind
{
    Found,
    Missing,
    /// <summary><c>*args</c> or <c>**kwargs</c> may supply it: cannot be decided.</summary>
    Unknowable,
}
