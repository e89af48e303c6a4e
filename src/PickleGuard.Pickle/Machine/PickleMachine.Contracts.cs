using PickleGuard.Core;
using PickleGuard.Pickle.Rendering;

namespace PickleGuard.Pickle.Machine;

/// <summary>Checks that depend on a call's arguments: safe-call contracts and nested pickles.</summary>
public sealed partial class PickleMachine
{
    private static readonly HashSet<string> ReconstructorBases = new(StringComparer.Ordinal)
    {
        "builtins.object", "builtins.list", "builtins.dict", "builtins.set", "builtins.tuple", "builtins.int",
        "builtins.float", "builtins.str", "builtins.bytes", "builtins.frozenset", "builtins.complex", "builtins.bool",
    };

    private int _nestingDepth;

    private void CheckCallContract(PickleGlobal callee, PickleValue args, long at)
    {
        var tuple = args.AsContainer;
        if (args.IsElided && (callee.ResolvedName == "copyreg._reconstructor" || _policy.CalledArguments(callee.ResolvedName).Count > 0))
        {
            // The argument tuple came back from the memo, which keeps only its kind in scan mode; picklers never reuse an
            // argument tuple, so this only happens when a pickle hides what the helper is given.
            _log.Add(new MachineProblem(PickleRules.CallContract, Severity.High, at,
                $"{callee.ResolvedName} at offset {at} is called with an argument tuple fetched from the memo; it calls or instantiates one of its arguments, and which one cannot be checked here",
                callee.ResolvedName));
            return;
        }

        if (callee.ResolvedName == "copyreg._reconstructor" && tuple is { Kind: PickleValueKind.Tuple })
        {
            // _reconstructor(cls, base, state) runs base.__new__(cls, state) and base.__init__(obj, state): both must be plain types.
            var cls = tuple.Items.Count > 0 ? tuple.Items[0] : PickleValue.None;
            var baseType = tuple.Items.Count > 1 ? tuple.Items[1] : PickleValue.None;
            bool baseOk = baseType.AsGlobal is { } b && ReconstructorBases.Contains(b.ResolvedName);
            if (cls.Kind != PickleValueKind.Global || !baseOk)
            {
                _log.Add(new MachineProblem(PickleRules.CallContract, Severity.Medium, at,
                    $"copyreg._reconstructor at offset {at} is called with class {ValueFormatter.Format(cls, 60)} and base {ValueFormatter.Format(baseType, 60)}; it is only safe with an imported class and a plain builtin base type",
                    callee.ResolvedName));
            }
        }

        foreach (var (index, entry) in _policy.CalledArguments(callee.ResolvedName))
        {
            if (tuple is { Kind: PickleValueKind.Tuple } && index < tuple.Items.Count
                && tuple.Items[index] is { Kind: not (PickleValueKind.Global or PickleValueKind.None) } argument)
            {
                _log.Add(new MachineProblem(PickleRules.ComputedCallable, Severity.High, at,
                    $"{callee.ResolvedName} at offset {at} calls its argument {index}, which is {ValueFormatter.Format(argument, 80)} instead of an imported global ({entry.Reason})",
                    callee.ResolvedName));
            }
        }

        CheckMaterialisedSize(callee, tuple, at);
        CheckStateSetsClass(callee, tuple, at);

        if (_policy.IsNestedLoader(callee.ResolvedName) && tuple is { Items.Count: > 0 } && tuple.Items[0].AsBytes is { } payload)
        {
            ScanNested(callee, payload, at);
        }
    }

    /// <summary>
    /// bytearray(n) writes n zero bytes and range(n) becomes n objects as soon as list/set/deque/array consume it: a few
    /// bytes of pickle that ask for gigabytes exhaust the loader's memory.
    /// </summary>
    private void CheckMaterialisedSize(PickleGlobal callee, PickleContainer? tuple, long at)
    {
        if (tuple is not { Kind: PickleValueKind.Tuple } || tuple.Items.Count == 0)
        {
            return;
        }

        double size = callee.ResolvedName switch
        {
            "builtins.bytearray" or "builtins.bytes" when tuple.Items.Count == 1 => Magnitude(tuple.Items[0]),
            "builtins.range" when tuple.Items.Count == 1 => Magnitude(tuple.Items[0]),
            "builtins.range" when tuple.Items.Count >= 2 => (Magnitude(tuple.Items[1]) - Magnitude(tuple.Items[0]))
                / Math.Max(1, Math.Abs(tuple.Items.Count > 2 ? Magnitude(tuple.Items[2]) : 1)),
            _ => 0,
        };
        if (size > MaxMaterialisedSize)
        {
            _log.Add(new MachineProblem(PickleRules.ResourceLimit, Severity.Medium, at,
                $"{callee.ResolvedName} at offset {at} asks for about {size:G3} items or bytes: materialising them exhausts the loader's memory",
                callee.ResolvedName));
        }
    }

    private const double MaxMaterialisedSize = 1 << 30;

    /// <summary>
    /// torch's <c>_set_obj_state</c> (used by <c>_rebuild_from_type_v2</c> and <c>_rebuild_parameter_with_state</c>) runs
    /// <c>setattr(obj, key, value)</c> for every key of the state argument: <c>__class__</c> there retypes the object.
    /// </summary>
    private void CheckStateSetsClass(PickleGlobal callee, PickleContainer? tuple, long at)
    {
        if (callee.ResolvedName is ("torch._tensor._rebuild_from_type_v2" or "torch._utils._rebuild_parameter_with_state")
            && tuple is { Kind: PickleValueKind.Tuple, Items.Count: > 3 } && SetsClass(tuple.Items[3]))
        {
            _log.Add(new MachineProblem(PickleRules.CallContract, Severity.High, at,
                $"{callee.ResolvedName} at offset {at} sets __class__ through its state argument: the rebuilt object's type changes after it was vetted",
                callee.ResolvedName));
        }
    }

    /// <summary>
    /// Objects whose <c>__setstate__</c> sets every key of a dict state as an attribute: pandas' NDFrame (DataFrame, Series)
    /// with <c>object.__setattr__</c>, and the NDArrayBacked arrays <c>__pyx_unpickle_NDArrayBacked</c> creates (Categorical,
    /// DatetimeArray, PeriodArray, ...) with <c>setattr</c>. A <c>__class__</c> key retypes the object; pandas never writes one.
    /// </summary>
    private static readonly HashSet<string> SetattrStateClasses = new(StringComparer.Ordinal)
    {
        "pandas.core.frame.DataFrame", "pandas.core.series.Series", "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked",
    };

    private void CheckBuildStateSetsClass(string? instanceClass, PickleValue state, long at)
    {
        if (instanceClass is not null && SetattrStateClasses.Contains(instanceClass) && SetsClass(state))
        {
            _log.Add(new MachineProblem(PickleRules.CallContract, Severity.High, at,
                $"BUILD at offset {at} gives {instanceClass} a state with a __class__ key, which its __setstate__ sets as an attribute: the object's type changes after it was vetted",
                instanceClass));
        }
    }

    /// <summary>A dict state, or a tuple state with a dict part, that has a <c>__class__</c> key.</summary>
    private static bool SetsClass(PickleValue state)
    {
        var parts = state.AsContainer is { Kind: PickleValueKind.Tuple } tuple ? tuple.Items : [state];
        foreach (var part in parts)
        {
            if (part.AsContainer is { Kind: PickleValueKind.Dict } dict && Keys(dict).Contains("__class__"))
            {
                return true;
            }
        }

        return false;
    }

    private static double Magnitude(PickleValue value) => value.Kind switch
    {
        PickleValueKind.Int => value.Scalar,
        PickleValueKind.BigInt => value.AsString is { } digits && digits.StartsWith('-') ? -1e300 : 1e300,
        _ => 0,
    };

    private void ScanNested(PickleGlobal loader, PickleBytes payload, long at)
    {
        if (!payload.IsComplete)
        {
            _log.Add(new MachineProblem(PickleRules.NestedPickle, Severity.High, at,
                $"{loader.ResolvedName} at offset {at} loads a {payload.DeclaredLength}-byte nested payload larger than the retention limit; it was not scanned",
                loader.ResolvedName));
            return;
        }

        if (_nestingDepth >= _limits.MaxNestedDepth)
        {
            _log.Add(new MachineProblem(PickleRules.ResourceLimit, Severity.Medium, at,
                $"pickles are nested more than {_limits.MaxNestedDepth} levels deep at offset {at}; the innermost was not scanned"));
            return;
        }

        var nested = new PickleMachine(_policy, _limits) { _nestingDepth = _nestingDepth + 1 };
        var result = nested.Run(new MemoryStream(payload.Prefix, writable: false));
        var flagged = result.Globals.Where(g => g.Verdict != GlobalVerdict.Allowed)
            .Select(g => $"{g.ResolvedName} ({g.Verdict.ToString().ToLowerInvariant()})").Distinct().Take(8).ToList();
        var problems = result.Problems.Select(p => p.RuleCode).Distinct().ToList();
        string content = flagged.Count > 0 ? "imports " + string.Join(", ", flagged) : "imports nothing outside the allowlist";
        if (problems.Count > 0)
        {
            content += "; its own findings: " + string.Join(", ", problems) + " (" + string.Join(" / ", result.Problems.Take(2).Select(p => p.Message)) + ")";
        }

        _log.Add(new MachineProblem(PickleRules.NestedPickle, Severity.High, at,
            $"{loader.ResolvedName} at offset {at} unpickles a {payload.DeclaredLength}-byte pickle hidden in a bytes constant, which {content}",
            loader.ResolvedName));
    }
}
