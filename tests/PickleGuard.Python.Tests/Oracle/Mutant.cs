namespace PickleGuard.Python.Tests.Oracle;

/// <summary>A mutated copy of a corpus file: where it came from, what was done, its bytes.</summary>
internal sealed record Mutant(string Source, string Mutation, byte[] Bytes)
{
    /// <summary>A file name that says where the mutant came from, e.g. "json_decoder.py.3.delete-line-41.py".</summary>
    public string FileName(int index) =>
        $"{Source.Replace('/', '_')}.{index}.{Mutation.Replace(' ', '-')}.py";
}
