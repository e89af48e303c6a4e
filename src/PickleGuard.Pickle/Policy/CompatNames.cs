namespace PickleGuard.Pickle.Policy;

/// <summary>
/// The Python 2 → 3 name mapping the unpickler applies when the stream's protocol is below 3
/// (<c>__builtin__</c> → <c>builtins</c>, <c>copy_reg</c> → <c>copyreg</c>, …). Loaded from
/// <c>policy/compat-names.txt</c>.
/// </summary>
public static class CompatNames
{
    private static readonly (Dictionary<(string, string), (string, string)> Names, Dictionary<string, string> Modules) Tables = Load();

    /// <summary>Maps (module, name) the way <c>Unpickler.find_class</c> does with <c>fix_imports=True</c>.</summary>
    public static (string Module, string Name) Map(string module, string name)
    {
        if (Tables.Names.TryGetValue((module, name), out var mapped))
        {
            return mapped;
        }

        return Tables.Modules.TryGetValue(module, out var newModule) ? (newModule, name) : (module, name);
    }

    private static (Dictionary<(string, string), (string, string)>, Dictionary<string, string>) Load()
    {
        var names = new Dictionary<(string, string), (string, string)>();
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = EmbeddedPolicyFiles.ReadRequired("compat-names.txt");
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["name", var m, var n, var m2, var n2])
            {
                names[(m, n)] = (m2, n2);
            }
            else if (parts is ["module", var from, var to])
            {
                modules[from] = to;
            }
            else
            {
                throw new InvalidOperationException("policy/compat-names.txt: bad line: " + line);
            }
        }

        return (names, modules);
    }
}
