using PickleGuard.Core;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Conversion;

/// <summary>What the first (scan) pass of a conversion learned about one pickle stream of the input.</summary>
/// <param name="Scan">The findings handed to the container layer, handed again unchanged in the extraction pass.</param>
/// <param name="Plain">No global is imported: the stream may be plain data that <see cref="ArenaBuilder"/> can rebuild.</param>
internal sealed record SurveyedStream(Location Where, PickleStreamScan Scan, long BytesRead, int PickleCount, int ResultCount, bool Plain,
    bool CompletelyRead);
