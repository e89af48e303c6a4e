namespace PickleGuard.Pickle.Reading;

/// <summary>Outcome of decoding one opcode.</summary>
public enum ReadStatus
{
    Ok,
    /// <summary>No byte left where an opcode was expected.</summary>
    EndOfInput,
    /// <summary>The input ends inside an opcode's argument.</summary>
    Truncated,
    /// <summary>A byte that no protocol defines as an opcode.</summary>
    UnknownOpcode,
    /// <summary>An argument CPython rejects (bad number, negative length, unquoted STRING, undecodable name).</summary>
    BadArgument,
    /// <summary>An argument larger than the configured limits (line length, total bytes).</summary>
    LimitExceeded,
}
