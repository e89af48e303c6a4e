namespace PickleGuard.Cli;

/// <summary>Process exit codes, the same for every command.</summary>
public static class ExitCodes
{
    /// <summary>Nothing at or above the severity threshold (for <c>parse</c>: no syntax error).</summary>
    public const int Clean = 0;

    /// <summary>Findings at or above the threshold (for <c>parse</c>: syntax errors).</summary>
    public const int Findings = 1;

    /// <summary>Bad command line or configuration.</summary>
    public const int UsageError = 2;

    /// <summary>A bug in PickleGuard.</summary>
    public const int InternalError = 3;
}
