namespace PickleGuard.Models;

/// <summary>One loaded model file: its name, the library it describes and the data version it declares.</summary>
public sealed record ModelFileInfo(string File, string Library, string Version);
