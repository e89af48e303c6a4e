namespace PickleGuard.Models;

/// <summary>What an absent argument means for a condition: the library default is safe, or it is not.</summary>
public enum MissingArgumentVerdict
{
    Safe,
    Unsafe,
}
