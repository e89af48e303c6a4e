namespace PickleGuard.Models;

/// <summary>A problem in a model file: the file, the 1-based line (0 when the whole file is at fault) and what is wrong.</summary>
public sealed record ModelError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
