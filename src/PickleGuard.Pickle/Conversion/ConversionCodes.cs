namespace PickleGuard.Pickle.Conversion;

/// <summary>Refusal codes of the converter itself (scan findings keep their PG2xx codes).</summary>
public static class ConversionCodes
{
    /// <summary>The pickle is safe to read but holds something JSON cannot carry (an out-of-band buffer, a value cut by a limit, nesting too deep).</summary>
    public const string NotRepresentable = "PGC01";

    /// <summary>The file holds no pickle, or several and none is the obvious main one.</summary>
    public const string NoMainPickle = "PGC02";

    /// <summary>The output could not be written.</summary>
    public const string OutputFailed = "PGC03";
}
