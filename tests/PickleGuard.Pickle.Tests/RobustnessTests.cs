namespace PickleGuard.Pickle.Tests;

/// <summary>Hostile input never throws, and a dangerous call before a break is never lost.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public void Mutated_fixtures_never_throw()
    {
        var random = new Random(1234);
        int scanned = 0;
        foreach (var file in Directory.GetFiles(FixturePaths.PickleFixtures, "*.pkl", SearchOption.AllDirectories).Order())
        {
            var original = File.ReadAllBytes(file);
            if (original.Length > 200_000)
            {
                continue;
            }

            for (int round = 0; round < 30; round++)
            {
                var mutated = (byte[])original.Clone();
                int flips = 1 + random.Next(4);
                for (int i = 0; i < flips && mutated.Length > 0; i++)
                {
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                }

                var result = Scan.Bytes(mutated[..random.Next(mutated.Length + 1)]);
                Assert.True(result.BytesRead >= 0);
                Assert.DoesNotContain(result.Findings, f => f.Message.Contains("internal error", StringComparison.Ordinal));
                scanned++;
            }
        }

        Assert.True(scanned > 1000);
    }

    [Fact]
    public void Every_truncation_of_a_payload_keeps_the_finding_once_the_call_is_complete()
    {
        var payload = File.ReadAllBytes(Path.Combine(FixturePaths.PickleFixtures, "malicious", "p4_stack_global_framed.pkl"));
        for (int length = 0; length < payload.Length; length++)
        {
            var result = Scan.Bytes(payload[..length]);
            Assert.False(result.CompletelyRead);
            Assert.NotEmpty(result.Findings);
            if (length >= payload.Length - 1)
            {
                Assert.Contains(PickleRules.DangerousGlobal, result.Rules());
            }
        }
    }
}
