namespace PickleGuard.Pickle.Containers;

/// <summary>The stable codes of the container rules (PG220–PG239).</summary>
internal static class ContainerRuleCodes
{
    public const string Unscannable = "PG220";
    public const string DecompressionLimit = "PG221";
    public const string ZipHeaderMismatch = "PG222";
    public const string NestingDepth = "PG223";
    public const string ZipAmbiguousEntries = "PG224";
    public const string DataOutsideArchive = "PG225";
    public const string NotRecognised = "PG226";
    public const string ChecksumMismatch = "PG227";
    public const string NumpyObjectArray = "PG228";
    public const string MemberLimit = "PG229";
}
