namespace PickleGuard.Cli.Fixing;

/// <summary>What <c>scan</c> does with the fixes its findings carry.</summary>
internal enum FixMode
{
    /// <summary>Report only (fixes still appear in JSON and SARIF).</summary>
    None,

    /// <summary><c>--diff</c>: print a unified diff of every fix on stdout; change no file.</summary>
    Diff,

    /// <summary><c>--fix</c>: write the fixes into the files, then report what remains.</summary>
    Apply,
}
