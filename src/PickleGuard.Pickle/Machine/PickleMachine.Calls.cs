using PickleGuard.Core;
using PickleGuard.Pickle.Opcodes;
using PickleGuard.Pickle.Reading;
using PickleGuard.Pickle.Rendering;

namespace PickleGuard.Pickle.Machine;

/// <summary>Opcodes that import globals or call something.</summary>
public sealed partial class PickleMachine
{
    private void ExecuteCallOpcode(ref PickleInstruction ins)
    {
        long at = ins.Offset;
        switch (ins.Opcode)
        {
            case PickleOpcode.Global:
                Push(ImportGlobal(ins.Text!, ins.Text2!, at, "GLOBAL"));
                break;
            case PickleOpcode.StackGlobal:
                if (Need(2, at))
                {
                    var name = Pop();
                    var module = Pop();
                    StackGlobal(module, name, at);
                }

                break;
            case PickleOpcode.Inst:
            {
                int start = PopMark(at);
                if (start < 0)
                {
                    return;
                }

                var args = TupleFrom(start);
                var cls = ImportGlobal(ins.Text!, ins.Text2!, at, "INST");
                Push(Call(cls, CallKind.Inst, args, PickleValue.None, at));
                break;
            }

            case PickleOpcode.Obj:
            {
                int start = PopMark(at);
                if (start < 0)
                {
                    return;
                }

                if (_sp - start < 1)
                {
                    Malformed(at, $"unpickling stack underflow at offset {at}");
                    return;
                }

                var cls = _stack[start];
                var args = TupleFrom(start + 1);
                _sp = start;
                Push(Call(cls, CallKind.Obj, args, PickleValue.None, at));
                break;
            }

            case PickleOpcode.Reduce:
                if (Need(2, at))
                {
                    var args = Pop();
                    var callable = Pop();
                    if (!IsTupleLike(args))
                    {
                        Malformed(at, $"REDUCE at offset {at}: argument list must be a tuple");
                        return;
                    }

                    Push(Call(callable, CallKind.Reduce, args, PickleValue.None, at));
                }

                break;
            case PickleOpcode.NewObj:
                if (Need(2, at))
                {
                    var args = Pop();
                    var cls = Pop();
                    if (!IsTupleLike(args))
                    {
                        Malformed(at, $"NEWOBJ at offset {at} expected an arg tuple");
                        return;
                    }

                    Push(Call(cls, CallKind.NewObj, args, PickleValue.None, at));
                }

                break;
            case PickleOpcode.NewObjEx:
                if (Need(3, at))
                {
                    var kwargs = Pop();
                    var args = Pop();
                    var cls = Pop();
                    Push(Call(cls, CallKind.NewObjEx, args, kwargs, at));
                }

                break;
            case PickleOpcode.Build:
                if (Need(2, at))
                {
                    var state = Pop();
                    Build(Top, state, at);
                }

                break;
            case PickleOpcode.PersId:
                Push(PersistentLoad(PickleValue.FromStr(ins.Text!, true), at));
                break;
            case PickleOpcode.BinPersId:
                if (Need(1, at))
                {
                    Push(PersistentLoad(Pop(), at));
                }

                break;
            case PickleOpcode.Ext1:
            case PickleOpcode.Ext2:
            case PickleOpcode.Ext4:
                Extension(ins.Integer, OpcodeTable.Find((byte)ins.Opcode)!.Value.Name, at);
                break;
            default:
                Malformed(at, $"opcode 0x{(byte)ins.Opcode:x2} is not handled");
                break;
        }
    }

    private static bool IsTupleLike(PickleValue value) =>
        value.Kind is PickleValueKind.Tuple or PickleValueKind.Object or PickleValueKind.Global or PickleValueKind.Unknown;

    private PickleValue TupleFrom(int start)
    {
        var tuple = new PickleContainer(PickleValueKind.Tuple);
        for (int i = start; i < _sp; i++)
        {
            tuple.Add(_stack[i], _limits.MaxRetainedItems);
        }

        _sp = start;
        return PickleValue.FromContainer(tuple);
    }

    private void StackGlobal(PickleValue module, PickleValue name, long at)
    {
        if (module.IsCompleteStr && name.IsCompleteStr)
        {
            Push(ImportGlobal(module.AsString!, name.AsString!, at, "STACK_GLOBAL"));
            return;
        }

        // An Unknown operand (a memo entry forgotten past the budget) may have been any str: unresolvable, never malformed.
        bool computed = module.Kind is PickleValueKind.Object or PickleValueKind.Str or PickleValueKind.Unknown
            && name.Kind is PickleValueKind.Object or PickleValueKind.Str or PickleValueKind.Unknown;
        if (!computed)
        {
            // CPython raises "STACK_GLOBAL requires str" for any other operand type.
            Malformed(at, $"STACK_GLOBAL at offset {at} requires str operands (got {module.Kind} and {name.Kind})");
            return;
        }

        string described = $"{ValueFormatter.Format(module, 60)}.{ValueFormatter.Format(name, 60)}";
        Push(UnresolvableGlobal(described, at, "STACK_GLOBAL",
            "the module or name operand of STACK_GLOBAL is computed at load time (or too long to keep), so the imported global cannot be known without running the pickle"));
    }

    private void Extension(long code, string opcodeName, long at)
    {
        if (code <= 0)
        {
            Malformed(at, $"{opcodeName} at offset {at} specifies code <= 0");
            return;
        }

        // copyreg's extension registry is empty unless the loading program filled it; whatever it maps to is unknown here.
        Push(UnresolvableGlobal($"<extension code {code}>", at, opcodeName,
            $"{opcodeName} code {code} is looked up in copyreg's extension registry, which is empty by default (CPython then fails) and otherwise holds globals chosen by the loading program"));
    }

    private PickleValue ImportGlobal(string module, string name, long at, string opcode)
    {
        _sideEffects++;
        bool mapped = _proto < 3;
        if (_globalIndex.TryGetValue((module, name, mapped), out var known))
        {
            known.AddOccurrence();
            var value = PickleValue.FromGlobal(known);
            Record(MachineEventKind.Import, at, value, PickleValue.None);
            return value;
        }

        if (_globals.Count >= _limits.MaxDistinctGlobals)
        {
            Fail(PickleRules.ResourceLimit, at, $"more than {_limits.MaxDistinctGlobals} distinct globals");
            return PickleValue.None;
        }

        var decision = _policy.Evaluate(module, name, _proto);
        var global = new PickleGlobal(module, name, decision.ResolvedName, at, opcode, decision.Verdict, decision.Reason);
        _globalIndex[(module, name, mapped)] = global;
        _globals.Add(global);
        var result = PickleValue.FromGlobal(global);
        Record(MachineEventKind.Import, at, result, PickleValue.None);
        return result;
    }

    private PickleValue UnresolvableGlobal(string described, long at, string opcode, string reason)
    {
        _sideEffects++;
        if (_globalIndex.TryGetValue(("?", described, false), out var known))
        {
            known.AddOccurrence();
            Record(MachineEventKind.Import, at, PickleValue.FromGlobal(known), PickleValue.None);
            return PickleValue.FromGlobal(known);
        }

        if (_globals.Count >= _limits.MaxDistinctGlobals)
        {
            Fail(PickleRules.ResourceLimit, at, $"more than {_limits.MaxDistinctGlobals} distinct globals");
            return PickleValue.None;
        }

        var global = new PickleGlobal("?", described, described, at, opcode, GlobalVerdict.Unresolvable, reason);
        _globalIndex[("?", described, false)] = global;
        _globals.Add(global);
        var value = PickleValue.FromGlobal(global);
        Record(MachineEventKind.Import, at, value, PickleValue.None);
        return value;
    }

    private PickleValue Call(PickleValue callable, CallKind kind, PickleValue args, PickleValue kwargs, long at)
    {
        _sideEffects++;
        Share(args);
        Share(kwargs);
        var obj = new PickleObject(_nextObjectId++, callable, kind, args, at) { KeywordArguments = kwargs };
        var result = PickleValue.FromObject(obj);
        switch (callable.Kind)
        {
            case PickleValueKind.Global:
                callable.AsGlobal!.AddCall(new PickleCallSite(at, kind, ValueFormatter.FormatArguments(args, kwargs, 160)), _limits.MaxCallSitesPerGlobal);
                CheckCallContract(callable.AsGlobal!, args, at);
                break;
            case PickleValueKind.Object:
                _log.Add(new MachineProblem(PickleRules.ComputedCallable, Severity.High, at,
                    $"the value created at offset {callable.AsObject!.ByteOffset} is itself called at offset {at} with {ValueFormatter.FormatArguments(args, kwargs, 120)}: a callable computed at load time hides what really runs",
                    ValueFormatter.Format(callable, 80)));
                break;
            case PickleValueKind.Unknown:
                _log.Add(new MachineProblem(PickleRules.ComputedCallable, Severity.High, at,
                    $"a memo entry forgotten past the memo budget is called at offset {at} with {ValueFormatter.FormatArguments(args, kwargs, 120)}: what runs cannot be known",
                    ValueFormatter.Format(callable, 80)));
                break;
            default:
                Malformed(at, $"{kind} at offset {at} calls a {callable.Kind} value, which is not callable");
                break;
        }

        Record(MachineEventKind.Call, at, result, PickleValue.None);
        return result;
    }

    private PickleValue PersistentLoad(PickleValue pid, long at)
    {
        _sideEffects++;
        Share(pid);
        var obj = new PickleObject(_nextObjectId++, PickleValue.None, CallKind.PersistentLoad, pid, at);
        var tag = pid.AsContainer is { Kind: PickleValueKind.Tuple, Items.Count: > 0 } tuple && tuple.Items[0].IsCompleteStr ? tuple.Items[0].AsString : null;
        bool vetted = tag is not null
            ? _policy.IsAllowedPersistentId(tag, out _)
            : pid.IsCompleteStr && _policy.IsAllowedStringPersistentId(pid.AsString!);
        if (!vetted)
        {
            _log.Add(new MachineProblem(PickleRules.PersistentLoad, Severity.Medium, at,
                $"persistent id {ValueFormatter.Format(pid, 120)} at offset {at} is resolved by the loading program's persistent_load, which this scan cannot vet under the '{_policy.Profile}' profile"));
        }

        var result = PickleValue.FromObject(obj);
        Record(MachineEventKind.Call, at, result, PickleValue.None);
        return result;
    }

    private void Build(PickleValue target, PickleValue state, long at)
    {
        Share(state);
        switch (target.Kind)
        {
            case PickleValueKind.Object:
                var obj = target.AsObject!;
                obj.State = state;
                if (obj.Callable.AsGlobal is { } cls)
                {
                    cls.AddCall(new PickleCallSite(at, CallKind.Build, ValueFormatter.Format(state, 160)), _limits.MaxCallSitesPerGlobal);
                }

                CheckBuildContract(obj, state, at);

                break;
            case PickleValueKind.Global:
                _log.Add(new MachineProblem(PickleRules.GlobalMutation, Severity.High, at,
                    $"BUILD at offset {at} sets state {ValueFormatter.Format(state, 120)} on the global {target.AsGlobal!.ResolvedName} itself: loading the pickle modifies a module-level object",
                    target.AsGlobal!.ResolvedName));
                break;
            case PickleValueKind.Unknown:
                MutateForgotten("BUILD", at);
                break;
            default:
                Malformed(at, $"BUILD at offset {at} applies state to a {target.Kind} value, which CPython rejects");
                return;
        }

        _sideEffects++;
        Record(MachineEventKind.Build, at, target, state);
    }

    /// <summary>
    /// BUILD or APPEND/SETITEMS on a memo entry forgotten past the budget. While the memo only forgets plain data that is
    /// harmless and the stream reads on; once it has degraded the entry may have been a global, so it is reported.
    /// </summary>
    private void MutateForgotten(string opcode, long at)
    {
        if (_memo.Degraded)
        {
            _log.Add(new MachineProblem(PickleRules.GlobalMutation, Severity.High, at,
                $"{opcode} at offset {at} modifies a memo entry forgotten past the memo budget, which may be a global: loading the pickle may modify a module-level object",
                "<forgotten memo entry>"));
        }
    }

    /// <summary>Adds items (a view of the stack just above the target) to a container, or records the method call on an object.</summary>
    private void AddItems(PickleValue target, ReadOnlySpan<PickleValue> items, PickleValueKind expected, long at)
    {
        if (target.IsElided && (target.Kind == expected || target.Kind == PickleValueKind.Unknown))
        {
            if (target.Kind == PickleValueKind.Unknown)
            {
                MutateForgotten("the opcode", at);
            }

            // A plain container fetched back from the scan-mode memo: adding data to it has no effect to track.
            RecycleDropped(items);
            return;
        }

        var container = target.AsContainer;
        if (container is not null && container.Kind == expected)
        {
            if (expected == PickleValueKind.Dict)
            {
                for (int i = 0; i + 1 < items.Length; i += 2)
                {
                    if (!container.AddPair(items[i], items[i + 1], _limits.MaxRetainedItems))
                    {
                        RecycleDropped(items.Slice(i, 2));
                    }
                }
            }
            else
            {
                RecycleDropped(items[container.AddRange(items, _limits.MaxRetainedItems)..]);
            }

            return;
        }

        MutateNonContainer(target, items.ToArray(), expected, at);
    }

    private void MutateNonContainer(PickleValue target, PickleValue[] items, PickleValueKind expected, long at)
    {
        string method = expected switch { PickleValueKind.Dict => "__setitem__", PickleValueKind.Set => "add", _ => "append/extend" };
        var argument = PickleValue.FromContainer(expected == PickleValueKind.Dict ? ToDict(items) : ToTuple(items));
        switch (target.Kind)
        {
            case PickleValueKind.Object:
                var obj = target.AsObject!;
                obj.Items ??= new PickleContainer(expected == PickleValueKind.Dict ? PickleValueKind.Dict : PickleValueKind.List);
                foreach (var item in items)
                {
                    obj.Items.Add(item, _limits.MaxRetainedItems);
                }

                obj.Callable.AsGlobal?.AddCall(new PickleCallSite(at, CallKind.Mutate, method + ValueFormatter.Format(argument, 120)), _limits.MaxCallSitesPerGlobal);
                break;
            case PickleValueKind.Global:
                _log.Add(new MachineProblem(PickleRules.GlobalMutation, Severity.High, at,
                    $"the opcode at offset {at} calls {method} on the global {target.AsGlobal!.ResolvedName} itself: loading the pickle modifies a module-level object",
                    target.AsGlobal!.ResolvedName));
                break;
            default:
                Malformed(at, $"the opcode at offset {at} adds items to a {target.Kind} value, which has no {method} method");
                return;
        }

        _sideEffects++;
        Record(MachineEventKind.Mutate, at, target, argument);
    }

    private PickleContainer ToDict(PickleValue[] pairs)
    {
        var dict = new PickleContainer(PickleValueKind.Dict);
        for (int i = 0; i + 1 < pairs.Length; i += 2)
        {
            dict.AddPair(pairs[i], pairs[i + 1], _limits.MaxRetainedItems);
        }

        return dict;
    }

    private PickleContainer ToTuple(PickleValue[] items)
    {
        var tuple = new PickleContainer(PickleValueKind.Tuple);
        foreach (var item in items)
        {
            tuple.Add(item, _limits.MaxRetainedItems);
        }

        return tuple;
    }
}
