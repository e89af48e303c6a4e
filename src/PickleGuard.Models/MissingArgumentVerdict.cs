namespace PickleGuard.Models;

/// <summary>
/// What an absent argument means for a condition: the library default is safe, or it is not, or it is a class the
/// condition judges like a given one (<see cref="ArgumentCondition.MissingClass"/>: <c>yaml.safe_load</c> loads with
/// <c>yaml.SafeLoader</c>, which a project may have extended).
/// </summary>
public enum MissingArgumentVerdict
{
    Safe,
    Unsafe,
    DefaultClass,
}
