namespace PickleGuard.Models;

/// <summary>
/// Syntax of the API paths used in models: identifiers joined by dots, where a part may be followed by <c>()</c>
/// to mean "the result of calling it" (<c>multiprocessing.connection.Listener().accept().recv</c>).
/// </summary>
public static class ApiPath
{
    public const string CallMarker = "()";

    public static bool IsValid(string path)
    {
        if (path.Length == 0)
        {
            return false;
        }
        foreach (var part in path.Split('.'))
        {
            var name = part;
            while (name.EndsWith(CallMarker, StringComparison.Ordinal))
            {
                name = name[..^CallMarker.Length];
            }
            if (!IsIdentifier(name))
            {
                return false;
            }
        }
        return !path.StartsWith(CallMarker, StringComparison.Ordinal);
    }

    public static bool IsDottedName(string name) => name.Length > 0 && name.Split('.').All(IsIdentifier);

    public static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
