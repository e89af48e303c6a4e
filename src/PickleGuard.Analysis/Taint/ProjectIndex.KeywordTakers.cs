using System.Runtime.InteropServices;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The calls <see cref="CallerKeywords"/> reads: those whose callee is named like a function that may take its callers'
/// keywords (<see cref="CallerKeywords.MayKnow"/>), kept while sink detection resolves each module's calls. Only these
/// names are kept: an index of every call by name, module by module, was 11 MB on the stdlib.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>The names of the functions <see cref="CallerKeywords.MayKnow"/> accepts (filled by <see cref="Create"/>).</summary>
    private readonly HashSet<string> _keywordTakerNames = new(StringComparer.Ordinal);

    /// <summary>Per module until <see cref="Complete"/>: the positions of its calls of those names, in call order (null: none).</summary>
    private readonly List<int>?[] _moduleKeywordTakerCalls;

    /// <summary>By callee name: the calls of that name, module by module in project order, each in call order.</summary>
    private readonly Dictionary<string, List<(int Module, int Call)>> _keywordTakerCalls = new(StringComparer.Ordinal);

    /// <summary>
    /// The project's calls whose callee is written as <paramref name="name"/> or <c>x.name</c>
    /// (<see cref="ProjectModel.TrailingName"/>), with what each resolved to, in project order; only for a
    /// <paramref name="name"/> of a function <see cref="CallerKeywords.MayKnow"/> accepts.
    /// </summary>
    public IEnumerable<(CallSite Site, CallInfo Info)> CallsOfKeywordTakers(string name)
    {
        foreach (var (m, i) in _keywordTakerCalls.GetValueOrDefault(name) ?? [])
        {
            yield return (_project.Modules[m].Calls[i], _moduleCalls[m][i]);
        }
    }

    /// <summary>Notes call <paramref name="i"/> of module <paramref name="m"/> when its callee has a keyword taker's name.</summary>
    private void NoteKeywordTakerCall(int m, int i, CallSite site)
    {
        if (_keywordTakerNames.Count > 0 && ProjectModel.TrailingName(site.Call.Func) is { } name && _keywordTakerNames.Contains(name))
        {
            (_moduleKeywordTakerCalls[m] ??= []).Add(i);
        }
    }

    /// <summary>Merges the modules' keyword-taker calls by name, in module order (<see cref="Complete"/>).</summary>
    private void MergeKeywordTakerCalls()
    {
        for (var m = 0; m < _moduleKeywordTakerCalls.Length; m++)
        {
            foreach (var i in _moduleKeywordTakerCalls[m] ?? [])
            {
                var name = ProjectModel.TrailingName(_project.Modules[m].Calls[i].Call.Func)!;
                (CollectionsMarshal.GetValueRefOrAddDefault(_keywordTakerCalls, name, out _) ??= []).Add((m, i));
            }
        }
    }
}
