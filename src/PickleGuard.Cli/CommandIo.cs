namespace PickleGuard.Cli;

/// <summary>The writers of one run: the report goes to <see cref="Out"/>, everything else to <see cref="Error"/>.</summary>
internal sealed record CommandIo(TextWriter Out, TextWriter Error, bool Color, string WorkingDirectory);
