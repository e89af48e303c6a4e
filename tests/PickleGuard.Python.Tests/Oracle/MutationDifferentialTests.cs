using System.Text;
using Xunit.Abstractions;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Differential testing beyond the (almost all valid) stdlib: small deterministic mutations of stdlib
/// files, judged by CPython 3.13. The parser must reject exactly the mutants CPython rejects (a
/// Python-2 diagnostic counts as a rejection) and, on the mutants that stay valid, build the same tree.
/// Deeper runs: PICKLEGUARD_MUTATION_FILES (default 150 source files) and PICKLEGUARD_MUTATION_SEED
/// (default 0) pick more files and other edits.
/// </summary>
[Collection(HeavyTestsCollection.Name)]
public sealed class MutationDifferentialTests
{
    private static readonly int SourceFiles = EnvironmentNumber("PICKLEGUARD_MUTATION_FILES", 150);
    private static readonly int Seed = EnvironmentNumber("PICKLEGUARD_MUTATION_SEED", 0);
    private const int MutantsPerFile = 7;
    private const int MaxShown = 12;

    private readonly ITestOutputHelper _output;

    public MutationDifferentialTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void ParserAgreesWithCPythonOnMutatedStdlibFiles()
    {
        var python = OracleEnvironment.Python313;
        Skip.If(python is null, "CPython 3.13 is not installed (pyenv 3.13.x or PICKLEGUARD_PYTHON313)");
        Skip.If(OracleEnvironment.Stdlib is null, "the CPython standard library was not found");

        var mutants = BuildMutants(OracleEnvironment.Stdlib!);
        var directory = Directory.CreateTempSubdirectory("pickleguard-mutants-");
        var paths = mutants.Select((m, i) =>
        {
            var path = Path.Combine(directory.FullName, m.FileName(i));
            File.WriteAllBytes(path, m.Bytes);
            return path;
        }).ToList();

        var problems = new List<string>();
        int cpythonRejects = 0, dumpsCompared = 0;
        OracleProcess.Run(python, [Path.Combine(OracleEnvironment.ScriptsDirectory!, "ast_dump.py"), "--jsonl", "--jobs", "2", "--stdin"],
            paths, line =>
            {
                var record = OracleRecord.Parse(line);
                var ours = ParserUnderTest.Parse(File.ReadAllBytes(record.Path), record.Path, withDump: record.Accepted);
                var name = Path.GetFileName(record.Path);
                if (!record.Accepted)
                    cpythonRejects++;
                if (ours.Crash is not null)
                    problems.Add($"{name}: crash: {ours.Crash}");
                else if (record.Accepted && !ours.Accepts)
                    problems.Add($"{name}: CPython accepts; ours: {ours.FirstOtherDiagnostic}");
                else if (record.Accepted && ours.Python2DiagnosticCount > 0)
                    problems.Add($"{name}: CPython accepts; ours flags Python 2: {ours.FirstPython2Diagnostic}");
                else if (!record.Accepted && ours.Accepts && ours.Python2DiagnosticCount == 0)
                    problems.Add($"{name}: CPython rejects ({record.ErrorText}); ours reports nothing");
                else if (record.Accepted && record.Dump is not null && ours.Dump is not null)
                {
                    dumpsCompared++;
                    if (DumpDiff.Compare(record.Dump, ours.Dump) is { } diff)
                        problems.Add($"{name}: dump differs\n{diff.Describe()}");
                }
            }, TimeSpan.FromMinutes(3));

        _output.WriteLine($"{mutants.Count} mutants of {SourceFiles} stdlib files: CPython rejects {cpythonRejects}, " +
                          $"dumps compared {dumpsCompared}, disagreements {problems.Count}");
        if (problems.Count == 0)
        {
            directory.Delete(recursive: true);
            return;
        }
        var message = new StringBuilder($"{problems.Count} of {mutants.Count} mutants disagree with CPython (kept in {directory.FullName}):\n");
        foreach (var problem in problems.Take(MaxShown))
            message.Append(problem).Append('\n');
        Assert.Fail(message.ToString());
    }

    /// <summary>
    /// Every k-th UTF-8 stdlib file of 1–40 KB without a coding cookie, mutated with a per-file seed.
    /// Files with a known divergence (known-divergences.txt) are left out: their mutants would
    /// mostly repeat it.
    /// </summary>
    private static List<Mutant> BuildMutants(string stdlib)
    {
        var known = KnownDivergences.Load(Path.Combine(OracleEnvironment.TestDataDirectory!, "known-divergences.txt"))
            .Entries.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var candidates = StdlibCorpus.Enumerate(stdlib)
            .Where(f => f.Size is > 1024 and < 40 * 1024 && !known.Contains(f.RelativePath))
            .ToList();
        var step = Math.Max(1, candidates.Count / SourceFiles);
        var mutants = new List<Mutant>();
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        for (var i = 0; i < candidates.Count && mutants.Count < SourceFiles * MutantsPerFile; i += step)
        {
            string text;
            try
            {
                text = strict.GetString(File.ReadAllBytes(candidates[i].FullPath));
            }
            catch (DecoderFallbackException)
            {
                continue;
            }
            if (text.StartsWith('\uFEFF') || string.Join('\n', text.Split('\n').Take(2)).Contains("coding", StringComparison.Ordinal))
                continue;
            mutants.AddRange(Mutator.Mutate(candidates[i].RelativePath, text, MutantsPerFile, seed: Seed + i));
        }
        return mutants;
    }

    private static int EnvironmentNumber(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : fallback;
}
