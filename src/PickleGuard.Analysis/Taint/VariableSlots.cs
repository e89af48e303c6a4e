using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A number for each name a function binds, so a <see cref="TaintState"/> holds its locals in an array: a branch's
/// copy is an array of references, not a hash table (copies at every <c>if</c>, loop and <c>try</c> were a fifth of
/// the fixpoint's allocation). Made once per unit; names it has no number for live in a table beside the array.
/// </summary>
internal sealed class VariableSlots
{
    /// <summary>A module's top level binds hundreds of names and assigns few between branches: no slots there.</summary>
    private const int MaxSlots = 64;

    /// <summary>No slots: every name in the table (a module's top level, guards' scratch states).</summary>
    public static readonly VariableSlots None = new([]);

    private readonly Dictionary<string, int> _numbers;

    private VariableSlots(string[] names)
    {
        Names = names;
        _numbers = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            _numbers[names[i]] = i;
        }
    }

    /// <summary>The names, by number.</summary>
    public string[] Names { get; }

    public static VariableSlots For(Scope scope) =>
        scope.Kind == ScopeKind.Module || scope.BindingCount > MaxSlots ? None : new VariableSlots([.. scope.Names]);

    public bool TryGetNumber(string name, out int number) => _numbers.TryGetValue(name, out number);
}
