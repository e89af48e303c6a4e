namespace PickleGuard.Models;

/// <summary>A release of a Python package (<c>torch</c> 2.6), as a model names it.</summary>
public sealed record PackageRelease(string Package, Version Version);
