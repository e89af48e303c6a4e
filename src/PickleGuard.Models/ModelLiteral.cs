namespace PickleGuard.Models;

/// <summary>A Python literal named in a model: <c>True</c>/<c>False</c> (TOML booleans) or a <c>str</c> constant.</summary>
public readonly record struct ModelLiteral(bool? Boolean, string? Text)
{
    public static ModelLiteral Of(bool value) => new(value, null);

    public static ModelLiteral Of(string value) => new(null, value);

    public override string ToString() => Boolean is { } b ? (b ? "True" : "False") : $"\"{Text}\"";
}
