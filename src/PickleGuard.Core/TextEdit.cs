namespace PickleGuard.Core;

/// <summary>Replace the characters [<see cref="Start"/>, <see cref="End"/>) of a file's text with <see cref="NewText"/>.</summary>
public sealed record TextEdit(string Path, int Start, int End, string NewText);
