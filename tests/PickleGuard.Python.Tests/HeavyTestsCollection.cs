namespace PickleGuard.Python.Tests;

/// <summary>
/// The CPU-heavy tests (stdlib conformance with its CPython processes, hostile inputs with their
/// time bounds, the Pyodide oracle) run one class at a time: on a 2-core machine running them in
/// parallel starves the time-bounded hostile tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HeavyTestsCollection
{
    public const string Name = "CPU-heavy oracle and hostile-input tests";
}
