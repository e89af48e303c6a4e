namespace PickleGuard.Pickle.Machine;

/// <summary>
/// Marks a value that the scan-mode memo did not keep (plain data such as numbers, containers, bytes or free text):
/// its kind is known, its content is not. See <see cref="PickleValue.IsElided"/>.
/// </summary>
public sealed class ElidedValue
{
    private ElidedValue()
    {
    }

    public static ElidedValue Instance { get; } = new();

    public override string ToString() => "<elided>";
}
