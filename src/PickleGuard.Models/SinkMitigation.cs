namespace PickleGuard.Models;

/// <summary>A code-level mitigation the analysis recognises for a sink (beyond argument conditions).</summary>
public enum SinkMitigation
{
    None,

    /// <summary>
    /// The receiver is an instance of a project subclass whose <c>find_class</c> only resolves allow-listed globals
    /// (the Python docs' "Restricting Globals" pattern).
    /// </summary>
    RestrictedFindClass,
}
