using System.Reflection;

namespace PickleGuard.Pickle.Policy;

/// <summary>Reads the data files embedded under <c>policy/</c>.</summary>
internal static class EmbeddedPolicyFiles
{
    public static string? Read(string name)
    {
        using var stream = typeof(EmbeddedPolicyFiles).Assembly.GetManifestResourceStream("policy/" + name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static string ReadRequired(string name) =>
        Read(name) ?? throw new InvalidOperationException($"embedded policy file policy/{name} is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
}
