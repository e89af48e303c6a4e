namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The owner of the whole-program facts "the file at this constant path holds source data"
/// (<see cref="GlobalKey"/> with the path as its name): an upload saved to <c>"model.pkl"</c> in one function and
/// loaded from <c>"model.pkl"</c> in another (FunctionAnalyzer.Files.cs). Each fact is also kept per place of the
/// module that wrote it (<see cref="AtPlace"/>), so a read can take the nearest save's trace.
/// </summary>
internal sealed class SavedFiles : IdentityKeyed
{
    public static readonly SavedFiles Owner = new();

    /// <summary>Separates a fact's name from a place in <see cref="AtPlace"/>: no path holds it.</summary>
    private const char PlaceMark = '\u0001';

    private SavedFiles()
    {
    }

    /// <summary>
    /// The places of the module at <paramref name="modulePath"/>, nearest first: its own file, then each directory
    /// above it. A save made at one of them is the save a read from the same place is shown with.
    /// </summary>
    public static IEnumerable<string> PlacesOf(string modulePath)
    {
        for (var place = modulePath; !string.IsNullOrEmpty(place); place = Path.GetDirectoryName(place))
        {
            yield return place;
        }
    }

    /// <summary>The name of the fact <paramref name="name"/> as written by a module at <paramref name="place"/>.</summary>
    public static string AtPlace(string name, string place) => $"{name}{PlaceMark}{place}";
}
