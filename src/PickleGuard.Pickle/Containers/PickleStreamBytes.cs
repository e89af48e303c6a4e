namespace PickleGuard.Pickle.Containers;

/// <summary>
/// The decoded bytes of one pickle stream found in an artifact (for <c>pickleguard inspect</c> to disassemble), wherever
/// it was: a zip, 7z or tar member, a compressed stream, one of legacy torch's stacked pickles, a NumPy payload.
/// </summary>
/// <param name="Member">Archive member path (<c>outer!inner</c>), or null for the file itself.</param>
/// <param name="Bytes">The stream's first bytes, up to the limit asked for.</param>
/// <param name="Truncated">True when the stream was longer than the limit.</param>
public sealed record PickleStreamBytes(string? Member, byte[] Bytes, bool Truncated);
