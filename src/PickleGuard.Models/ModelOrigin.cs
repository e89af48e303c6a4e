namespace PickleGuard.Models;

/// <summary>Where a model entry was written: the file (a resource name for built-in models) and its 1-based line.</summary>
public readonly record struct ModelOrigin(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
