namespace PickleGuard.Python;

/// <summary>String literal prefix letters, as flags.</summary>
[Flags]
internal enum StringPrefix : byte
{
    None = 0,
    Raw = 1,
    Bytes = 2,
    Unicode = 4,
    Format = 8,
    Template = 16,
    Invalid = 128,
}
