using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The enabled parameter-source models, indexed by what makes one apply to a function: its name
/// (<see cref="ParameterSourceModel.FunctionNames"/>), its first parameter's name
/// (<see cref="ParameterSourceModel.FirstParameterNames"/>), a decorator, a signature. A model none of whose tests can
/// hold labels nothing, so <see cref="ProjectIndex"/> asks only the candidates, in model order: asking every model of
/// every function that may have parameter sources (each a look through its lists of names) was 18 M of the taint index's
/// 163 M instructions on a subset of the stdlib.
/// </summary>
internal sealed class ParameterSourceCandidates
{
    private readonly Dictionary<string, int[]> _byFunctionName;
    private readonly Dictionary<string, int[]> _byFirstParameter;
    private readonly int[] _decorated;
    private readonly int[] _withSignature;

    /// <param name="enabled">The models whose kind is enabled, in the order their sources are listed.</param>
    public ParameterSourceCandidates(IReadOnlyList<ParameterSourceModel> enabled)
    {
        Models = enabled;
        var byFunctionName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byFirstParameter = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var decorated = new List<int>();
        var withSignature = new List<int>();
        for (var i = 0; i < enabled.Count; i++)
        {
            AddTo(byFunctionName, enabled[i].FunctionNames, i);
            AddTo(byFirstParameter, enabled[i].FirstParameterNames, i);
            if (enabled[i].DecoratedBy.Count > 0)
            {
                decorated.Add(i);
            }
            if (enabled[i].Signature.Count > 0)
            {
                withSignature.Add(i);
            }
        }
        _byFunctionName = byFunctionName.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        _byFirstParameter = byFirstParameter.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        _decorated = [.. decorated];
        _withSignature = [.. withSignature];
    }

    /// <summary>The enabled models, by the positions <see cref="Mark"/> marks.</summary>
    public IReadOnlyList<ParameterSourceModel> Models { get; }

    /// <summary>Whether some enabled model names <paramref name="function"/> among its functions.</summary>
    public bool ListsFunction(string function) => _byFunctionName.ContainsKey(function);

    /// <summary>Whether some enabled model names <paramref name="parameter"/> among its first parameters.</summary>
    public bool ListsFirstParameter(string parameter) => _byFirstParameter.ContainsKey(parameter);

    /// <summary>Whether some enabled model applies by decorator.</summary>
    public bool AnyDecorated => _decorated.Length > 0;

    /// <summary>
    /// Marks in <paramref name="candidates"/> (one flag per model of <see cref="Models"/>) the models that may apply to a
    /// function named <paramref name="function"/> whose first parameter after any receiver is <paramref name="firstParameter"/>
    /// (null: none): those listing either name, those matching decorators when it has some, those matching signatures.
    /// </summary>
    public void Mark(string function, string? firstParameter, bool decorated, Span<bool> candidates)
    {
        MarkAll(_byFunctionName.GetValueOrDefault(function), candidates);
        if (firstParameter is not null)
        {
            MarkAll(_byFirstParameter.GetValueOrDefault(firstParameter), candidates);
        }
        if (decorated)
        {
            MarkAll(_decorated, candidates);
        }
        MarkAll(_withSignature, candidates);
    }

    private static void MarkAll(int[]? models, Span<bool> candidates)
    {
        foreach (var model in models ?? [])
        {
            candidates[model] = true;
        }
    }

    private static void AddTo(Dictionary<string, List<int>> index, IReadOnlyList<string> names, int model)
    {
        foreach (var name in names)
        {
            var models = index.TryGetValue(name, out var listed) ? listed : index[name] = [];
            if (models.Count == 0 || models[^1] != model) // a name listed twice by one model
            {
                models.Add(model);
            }
        }
    }
}
