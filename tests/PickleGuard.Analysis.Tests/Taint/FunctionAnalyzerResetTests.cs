using System.Reflection;
using PickleGuard.Analysis.Taint;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// The engine runs each worker's units with one <see cref="FunctionAnalyzer"/>, calling
/// <see cref="FunctionAnalyzer.Reset"/> between them, so a per-analysis field that Reset forgets leaks one function's
/// state into the next: a silent precision bug. Reset's IL must store every mutable instance field of every partial
/// file; readonly fields are the caches and pools kept across units by design, and the few mutable fields kept on
/// purpose are listed below, each with its reason.
/// </summary>
public sealed class FunctionAnalyzerResetTests
{
    private const BindingFlags InstanceFields =
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly;

    /// <summary>Mutable fields Reset deliberately leaves alone, each with why keeping it leaks nothing.</summary>
    private static readonly Dictionary<string, string> KeptOnPurpose = new(StringComparer.Ordinal)
    {
        // ApplySummary takes the list (leaving null while it is in use, so a nested call makes its own), clears it
        // after the call and puts it back: between calls, and so between units, it is null or empty.
        ["_spareArguments"] = "a reusable argument buffer, empty whenever no call is being applied",
    };

    [Fact]
    public void ResetStoresEveryPerAnalysisField()
    {
        var stored = StoredByReset();
        var missing = MutableFields()
            .Where(f => !KeptOnPurpose.ContainsKey(f.Name) && !stored.Contains(f.Name))
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0,
            $"FunctionAnalyzer.Reset does not reset {string.Join(", ", missing)}: reset each there (as a new analyzer "
            + "would start), or make it readonly if it is a cache kept across units, or add it with a reason to "
            + $"{nameof(FunctionAnalyzerResetTests)}.{nameof(KeptOnPurpose)} if it deliberately carries nothing between units.");
    }

    [Fact]
    public void KeptOnPurposeListsOnlyMutableFieldsResetLeavesAlone()
    {
        var fields = typeof(FunctionAnalyzer).GetFields(InstanceFields).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var stored = StoredByReset();
        var stale = new List<string>();
        foreach (var name in KeptOnPurpose.Keys.Order(StringComparer.Ordinal))
        {
            if (!fields.TryGetValue(name, out var field))
            {
                stale.Add($"{name} (no such instance field)");
            }
            else if (field.IsInitOnly)
            {
                stale.Add($"{name} (readonly: already skipped)");
            }
            else if (stored.Contains(name))
            {
                stale.Add($"{name} (Reset stores it)");
            }
        }
        Assert.True(stale.Count == 0, $"stale entries in {nameof(KeptOnPurpose)}: {string.Join(", ", stale)}");
    }

    [Fact]
    public void WalkerFindsTheFieldsOfEveryKind()
    {
        // A reference, a nullable struct set to null (ldflda + initobj), an int and a struct value: if the walker
        // missed a form, the test above would blame Reset for a store it makes.
        var stored = StoredByReset();
        Assert.Contains("_unit", stored);
        Assert.Contains("_mayDecode", stored);
        Assert.Contains("_construction", stored);
        Assert.Contains("_loopDepth", stored);
        Assert.Contains("_returned", stored);
        Assert.DoesNotContain("_statePool", stored); // Reset calls a method on it, stores nothing in it
    }

    [Fact]
    public void WalkerDecodesEveryAnalyzerMethodToItsEnd()
    {
        // Switches, long branches, two-byte opcodes and all: a wrong operand size would run off the end or reach
        // an unknown opcode, and Decode throws on both.
        var methods = typeof(FunctionAnalyzer).GetMethods(InstanceFields | BindingFlags.Static)
            .Cast<MethodBase>()
            .Concat(typeof(FunctionAnalyzer).GetConstructors(InstanceFields | BindingFlags.Static));
        var decoded = 0;
        foreach (var method in methods)
        {
            if (method.GetMethodBody()?.GetILAsByteArray() is not { } il)
            {
                continue;
            }
            var instructions = ILFieldStores.Decode(il);
            var last = instructions[^1];
            Assert.Equal(il.Length, last.OperandOffset + last.OperandSize);
            decoded++;
        }
        Assert.True(decoded > 100, $"only {decoded} method bodies decoded");
    }

    /// <summary>The fields a new analyzer would start afresh: mutable, instance, declared in any partial file.</summary>
    private static IEnumerable<FieldInfo> MutableFields() =>
        typeof(FunctionAnalyzer).GetFields(InstanceFields).Where(f => !f.IsInitOnly);

    private static HashSet<string> StoredByReset()
    {
        var reset = typeof(FunctionAnalyzer).GetMethod(nameof(FunctionAnalyzer.Reset), [typeof(TaintUnit)])
            ?? throw new InvalidOperationException("FunctionAnalyzer.Reset(TaintUnit) not found");
        return ILFieldStores.StoredBy(reset)
            .Where(f => f.DeclaringType == typeof(FunctionAnalyzer))
            .Select(f => f.Name)
            .ToHashSet(StringComparer.Ordinal);
    }
}
