using PickleGuard.Python.Tests.Oracle;

namespace PickleGuard.Python.Tests.Hostile;

/// <summary>Keeps <see cref="HostileInputs"/> honest: CPython must reject every one of them, so
/// demanding a diagnostic from our parser is right.</summary>
[Collection(HeavyTestsCollection.Name)]
public sealed class HostileInputsOracleTests
{
    [SkippableFact]
    public void CPythonRejectsEveryHostileInput()
    {
        var python = OracleEnvironment.Python3;
        Skip.If(python is null, "python3 is not installed");
        var directory = Directory.CreateTempSubdirectory("pickleguard-hostile-");
        try
        {
            var paths = HostileInputs.Names.Select(name =>
            {
                var path = Path.Combine(directory.FullName, name + ".py");
                File.WriteAllBytes(path, HostileInputs.Build(name));
                return path;
            }).ToList();
            var accepted = new List<string>();
            OracleProcess.Run(python, [Path.Combine(OracleEnvironment.ScriptsDirectory!, "ast_dump.py"), "--jsonl", "--no-dump", "--stdin"],
                paths, line =>
                {
                    var record = OracleRecord.Parse(line);
                    if (record.Accepted)
                        accepted.Add(Path.GetFileName(record.Path));
                }, TimeSpan.FromMinutes(2));
            Assert.Empty(accepted);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
