namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The owner of the whole-program facts "the file at this constant path holds source data"
/// (<see cref="GlobalKey"/> with the path as its name): an upload saved to <c>"model.pkl"</c> in one function and
/// loaded from <c>"model.pkl"</c> in another (FunctionAnalyzer.Files.cs).
/// </summary>
internal sealed class SavedFiles : IdentityKeyed
{
    public static readonly SavedFiles Owner = new();

    private SavedFiles()
    {
    }
}
