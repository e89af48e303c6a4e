namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The files a function saves at a path it joins from its parameters (<c>def download(model_dir, lang, package):
/// request_file(url, os.path.join(model_dir, lang, package + ".pt"))</c>): each path as a template of the arguments
/// (FunctionAnalyzer.SavedPaths.cs), with what is saved there. A caller has that data in the file the template makes of
/// the arguments it passes, read back by a path it joins the same way or by a callee's path read
/// (<see cref="PathReads"/>) filled with the same arguments.
/// </summary>
internal sealed partial class FunctionSummary
{
    private Dictionary<string, TaintValue>? _pathSaves;

    /// <summary>What is saved at each path template (source data, and other parameters' data with the path from them), or null.</summary>
    public IReadOnlyDictionary<string, TaintValue>? PathSaves => _pathSaves;

    public void AddPathSave(string template, TaintValue value) => Add(ref _pathSaves, template, value);
}
