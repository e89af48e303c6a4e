namespace PickleGuard.Models;

/// <summary>The <see cref="PathModels"/> of every API path some model names exactly, filled while the model set is built, then only read.</summary>
internal sealed class PathModelTable
{
    private readonly Dictionary<string, PathModels> _byPath = new(StringComparer.Ordinal);

    /// <summary>The entry of <paramref name="apiPath"/>, made on first use: for filling.</summary>
    public PathModels At(string apiPath)
    {
        if (!_byPath.TryGetValue(apiPath, out var models))
        {
            _byPath[apiPath] = models = new PathModels();
        }
        return models;
    }

    /// <summary>What the models say about <paramref name="apiPath"/>, or null when none names it exactly.</summary>
    public PathModels? Of(string apiPath) => _byPath.TryGetValue(apiPath, out var models) ? models : null;
}
