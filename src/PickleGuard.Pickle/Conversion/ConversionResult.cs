namespace PickleGuard.Pickle.Conversion;

/// <summary>What a conversion did: either wrote JSON (no refusals) or wrote nothing and says why.</summary>
/// <param name="Refusals">Empty when the JSON was written.</param>
/// <param name="BytesRead">Bytes of the converted pickle stream.</param>
/// <param name="BytesWritten">Bytes of JSON written (0 when refused).</param>
/// <param name="Member">The archive member that held the converted pickle (null for a bare pickle file).</param>
public sealed record ConversionResult(IReadOnlyList<ConversionRefusal> Refusals, long BytesRead, long BytesWritten, string? Member)
{
    public bool Converted => Refusals.Count == 0;

    /// <summary>
    /// True when the pickle was plain data and its value was rebuilt in the compact store (a few bytes per value);
    /// false when it was rebuilt as the machine's value tree (objects, globals) or not at all.
    /// </summary>
    public bool Compact { get; init; }

    /// <summary>Bytes of joblib array data that did not fit <see cref="ConversionOptions.MaxArrayBytesInMemory"/> and went through a temporary file.</summary>
    public long SpilledArrayBytes { get; init; }
}
