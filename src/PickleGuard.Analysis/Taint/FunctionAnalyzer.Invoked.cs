using PickleGuard.Analysis.Detection;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// A project function a library call was given to call (<see cref="InvokedCallable"/>): it receives the call's other
    /// arguments — <c>args=(...)</c> and <c>kwargs={...}</c> where given (each item may be any parameter:
    /// <c>Thread</c>, <c>Process</c>, <c>apply_async</c>), the positional arguments after the callable in order
    /// (<c>submit(f, a, b)</c>, <c>run_in_executor(None, f, a)</c>, <c>map(f, items)</c>: an item is as tainted as its
    /// container), and the other keywords by name. Its sinks, stores and return value apply as at a direct call.
    /// </summary>
    /// <param name="callees">The project functions the call is of, whose summaries may say what they call the callable with.</param>
    private TaintValue ApplyInvoked(InvokedCallable invoked, CallExpr call, TaintValue[] positional, TaintValue[] keywords,
        ReadOnlySpan<(TaintUnit Unit, bool Bound)> callees)
    {
        var tainted = AnyTainted(positional) || AnyTainted(keywords);
        var items = ReferenceEquals(_invokedItems.Call, call) ? _invokedItems.Items : null;
        // A callee that only hands the function on (`load_from_path(path, loader=loader)`) calls it with what its summary says, not with the call's other arguments.
        var arguments = tainted && !invoked.Relayed ? InvokedArguments(invoked, call, positional, keywords, items) : null;
        foreach (var (callee, bound) in callees)
        {
            foreach (var (position, value) in invoked.HandedAs is null ? [] : CalledWith(callee, bound ? 1 : 0, call, invoked.Callable, positional, keywords) ?? [])
            {
                // `render(weak)` where `render` calls `func(request.POST)`: `weak` gets the request at that position.
                if (position + (invoked.Bound ? 1 : 0) is var index && index < invoked.Unit.PositionalCount)
                {
                    (arguments ??= []).Add((index, value));
                }
            }
        }
        if (invoked.Relayed && arguments is null)
        {
            return TaintValue.Clean; // no callee was seen calling it
        }
        var receiver = RunBoundMethod(invoked) is AttributeExpr method ? ReceiverFor(ReceiverOf(method), invoked.Unit) : UnknownReceiver;
        return ApplySummary(invoked.Unit, receiver, UnknownReceiver, call, arguments ?? [], arguments is not null ? Text(call.Func) : null,
            calledBy: HelperCalls(invoked, callees));
    }

    /// <summary>
    /// The bound method a library call runs (<c>asyncio.to_thread(self.fetch, key)</c>, <c>pool.submit(job.run, x)</c>),
    /// when it is the class's method itself (<see cref="NamesFunctionItself"/>): a function, not data. The call's result
    /// is what the method returns, applied with its object as the receiver (<see cref="ApplyInvoked"/>), so the call's
    /// pass-through leaves the argument out; read as a value it is the whole object (all its attributes), which made a
    /// closure's <c>self.buffer[k] = request</c> the result of running <c>self.get_from_pipe</c> (litserve). Null for
    /// anything else: a plain function holds no data, a callable handed to a project function is its callee's business.
    /// </summary>
    private Expr? RunBoundMethod(CallInfo info) => info.Invoked is { } invoked ? RunBoundMethod(invoked) : null;

    private Expr? RunBoundMethod(InvokedCallable invoked) =>
        invoked is { Bound: true, Callable: AttributeExpr, HandedAs: null, GetsVerifiedData: false } && !invoked.Unit.IsClassMethod
        && NamesFunctionItself(invoked) ? invoked.Callable : null;

    /// <summary>
    /// The calls the project callees make of the parameter the function is handed as (dvc's <c>_load_data(path,
    /// parser=parse_yaml)</c> calling <c>parser(fd.read(), path)</c>), with whether the function is bound: the only calls
    /// of it there, whose arguments decide its flags (<see cref="UnlessCalledSafely"/>). Null when a callee only hands
    /// it on, uses the parameter otherwise or rebinds it (<see cref="HelperParameterCalls"/>), or when the argument is
    /// not the function by its own name (a partial, or a name bound to one, may give a flag the calls do not show).
    /// </summary>
    private (List<CallExpr> Calls, bool Bound)? HelperCalls(InvokedCallable invoked, ReadOnlySpan<(TaintUnit Unit, bool Bound)> callees)
    {
        if (invoked is not { HandedAs: { } parameter, Relayed: false } || !NamesFunctionItself(invoked))
        {
            return null;
        }
        List<CallExpr>? calls = null;
        foreach (var (callee, _) in callees)
        {
            if (OwnParameter(callee, parameter) is null || HelperParameterCalls.Of(callee.Body, parameter) is not { } made)
            {
                return null;
            }
            (calls ??= []).AddRange(made);
        }
        return calls is null ? null : (calls, invoked.Bound);
    }

    /// <summary>
    /// Whether the callable argument is the function's own name, bound only by its definition or an import: <c>parse_yaml</c>,
    /// <c>serialize.parse_yaml</c> of an imported module, or <c>self.parse</c> of a method no class of its chain also
    /// stores on instances (<c>self.parse = partial(...)</c> would be called instead).
    /// </summary>
    private bool NamesFunctionItself(InvokedCallable invoked) => invoked.Callable switch
    {
        NameExpr { Id: var name } => name == invoked.Unit.Name && BoundByDefinitionOrImport(name),
        AttributeExpr { Value: NameExpr owner, Attr: var attribute } when attribute == invoked.Unit.Name => invoked.Bound
            ? invoked.Unit.Function?.Owner is { } cls && !_program.ClassAndBases(cls).Any(c => c.InstanceAttributes.ContainsKey(attribute))
            : _unit.Scope.ScopeBinding(owner.Id)?.BindingsOf(owner.Id) is [{ Kind: Semantic.BindingKind.Import or Semantic.BindingKind.ImportFrom }],
        _ => false,
    };

    private bool BoundByDefinitionOrImport(string name) =>
        _unit.Scope.ScopeBinding(name)?.BindingsOf(name) is { Count: > 0 } bindings
        && bindings.All(static b => b.Kind is Semantic.BindingKind.FunctionDef or Semantic.BindingKind.ImportFrom or Semantic.BindingKind.Import);

    /// <summary>
    /// <paramref name="sinks"/> (what the handed function's <paramref name="parameter"/> reaches) less those every call of
    /// it by the helpers makes safe by one flag: a literal the flag accepts, or the flag left to such a default with no
    /// <c>*</c> or <c>**</c> that could give it. A flag the helper hands on from its own parameter is not followed.
    /// </summary>
    private Dictionary<SinkKey, TraceLink>? UnlessCalledSafely(TaintUnit callee, int parameter, (List<CallExpr> Calls, bool Bound) calledBy,
        Dictionary<SinkKey, TraceLink>? sinks)
    {
        if (sinks is null)
        {
            return null;
        }
        Dictionary<SinkKey, TraceLink>? left = null;
        foreach (var key in sinks.Keys)
        {
            var flags = IsOwnSink(callee, key) ? OwnFlags(callee, key) : callee.Summary.FlagOf(parameter, key) is { } kept ? [kept] : [];
            if (flags.Any(flag => CalledSafely(callee, key, flag, calledBy)))
            {
                left ??= new Dictionary<SinkKey, TraceLink>(sinks);
                left.Remove(key);
            }
        }
        return left ?? sinks;
    }

    /// <summary>Whether every call of <paramref name="callee"/> in <paramref name="calledBy"/> makes <paramref name="sink"/> safe by <paramref name="flag"/>.</summary>
    private static bool CalledSafely(TaintUnit callee, SinkKey sink, SafeFlag flag, (List<CallExpr> Calls, bool Bound) calledBy)
    {
        foreach (var call in calledBy.Calls)
        {
            if (!flag.MakesSafe(sink, GivenByHelper(callee, call, calledBy.Bound ? 1 : 0, flag)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// What a helper's call gives <paramref name="flag"/>: the argument bound to it, else its default when no unpacked
    /// argument may give it; null when unknown. <see cref="Given"/> for a call in the helper: any <c>*</c> or <c>**</c>
    /// argument may give the flag, since the lengths and keys it knows are those of this function's locals, not the helper's.
    /// </summary>
    private static Expr? GivenByHelper(TaintUnit callee, CallExpr call, int offset, SafeFlag flag)
    {
        if (flag.Keyword is { } keyword)
        {
            return call.Keywords.FirstOrDefault(k => k.Arg == keyword)?.Value;
        }
        if (ArgumentFor(callee, call, flag.Parameter, offset) is { } argument)
        {
            return argument;
        }
        var name = callee.Parameters[flag.Parameter].ArgValue;
        return call.Args.Any(a => a is StarredExpr) || call.Keywords.Any(k => k.Arg is null) || OwnParameter(callee, name) is not var (_, parameter) ? null : parameter.Default;
    }

    /// <summary>
    /// The project's hooks a decoding call calls (<c>json.loads(s, object_hook=f)</c>): each gets the decoded data at its
    /// first parameter (after a bound method's <c>self</c> or a partial's arguments; a hook taking only <c>*args</c> there),
    /// and what it returns is part of the call's result. Its sinks and stores apply as at a direct call.
    /// </summary>
    private TaintValue ApplyHooks(CalledHooks hooks, CallExpr call, TaintValue[] positional, TaintValue[] keywords)
    {
        var data = ArgumentFinder.Find(call, hooks.Model.Data).Value is { } decoded ? ArgumentTaint(call, decoded, positional, keywords) : TaintValue.Clean;
        var result = TaintValue.Clean;
        foreach (var (unit, first) in hooks.Units)
        {
            var parameter = first < unit.PositionalCount ? first : unit.VarargIndex;
            var arguments = data.IsClean || parameter < 0 ? [] : new[] { (parameter, data) };
            result = result.Join(ApplySummary(unit, UnknownReceiver, UnknownReceiver, call, arguments, arguments.Length > 0 ? Text(call.Func) : null));
        }
        return result;
    }

    /// <summary>The items of the last <c>args=(...)</c> display given to a call that runs a project function, each evaluated apart.</summary>
    private (CallExpr? Call, TaintValue[]? Items) _invokedItems;

    /// <summary>
    /// <c>Process(target=worker, args=(payload, name))</c>: the display's items, kept apart for <see cref="ApplyInvoked"/>
    /// to give each to the parameter at its position (each item went to every parameter before: prefect's runner
    /// unpickled a name from a form); so are those of a runner's sequence given by position (<c>spawn(fn, (a, b), 2)</c>,
    /// <see cref="IsRunnerSequence"/>). Any other call's <c>args</c> is one value.
    /// </summary>
    private TaintValue EvalInvokedItems(CallExpr call, Expr display)
    {
        var elements = display is TupleExpr tuple ? tuple.Elts : ((ListExpr)display).Elts;
        if (_program.Index.CallOf(_module, call)?.Invoked is null || elements.Any(e => e is StarredExpr))
        {
            return EvalArgument(display);
        }
        var items = new TaintValue[elements.Count];
        var joined = TaintValue.Clean;
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = EvalArgument(elements[i]);
            joined = joined.Join(items[i]);
        }
        _invokedItems = (call, items);
        return joined;
    }

    /// <summary>Whether positional argument <paramref name="i"/> of the call is the sequence of arguments a runner it is hands the function it runs (<c>spawn(fn, (a, b), 2)</c>).</summary>
    private bool IsRunnerSequence(CallExpr call, int i) =>
        _program.Index.CallOf(_module, call)?.Invoked?.Runner?.Arguments is { Position: var position } && position == i;

    private static List<(int Parameter, TaintValue Value)> InvokedArguments(InvokedCallable invoked, CallExpr call, TaintValue[] positional, TaintValue[] keywords,
        TaintValue[]? argsItems)
    {
        var unit = invoked.Unit;
        // A runner's own arguments come first (`fn(fabric, *args)`, `fn(rank, *args)`), after a bound method's `self`.
        var first = (invoked.Bound ? 1 : 0) + (invoked.Runner?.Prepends ?? 0);
        var arguments = new List<(int, TaintValue)>();
        void ToEveryParameter(TaintValue value)
        {
            for (var p = first; p < unit.Parameters.Length; p++)
            {
                arguments.Add((p, value));
            }
        }
        void FromFirst(TaintValue[] items)
        {
            for (var i = 0; i < items.Length; i++)
            {
                if (first + i < unit.PositionalCount)
                {
                    arguments.Add((first + i, items[i]));
                }
                else if (unit.VarargIndex >= 0)
                {
                    arguments.Add((unit.VarargIndex, items[i]));
                }
            }
        }
        if (invoked.Runner?.Arguments is { } sequence)
        {
            // `spawn(fn, args=(a, b), nprocs=2)`: only that sequence is the function's; the runner's other arguments are its own.
            switch (ArgumentFinder.Find(call, sequence))
            {
                case (ArgumentKind.Found, _) when argsItems is not null:
                    FromFirst(argsItems);
                    break;
                case (ArgumentKind.Found, { } given):
                    ToEveryParameter(ArgumentTaint(call, given, positional, keywords));
                    break;
                case (ArgumentKind.Unknowable, _):
                    ToEveryParameter(JoinArguments(positional, keywords)); // behind a `*` or `**`: any of them may be the sequence
                    break;
            }
            return arguments;
        }
        var callableAt = -1;
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (ReferenceEquals(call.Args[i], invoked.Callable))
            {
                callableAt = i;
                continue;
            }
            if (callableAt < 0)
            {
                continue;
            }
            var parameter = first + i - callableAt - 1;
            if (call.Args[i] is StarredExpr)
            {
                ToEveryParameter(positional[i]);
            }
            else if (parameter < unit.PositionalCount)
            {
                arguments.Add((parameter, positional[i]));
            }
            else if (unit.VarargIndex >= 0)
            {
                arguments.Add((unit.VarargIndex, positional[i]));
            }
        }
        for (var k = 0; k < call.Keywords.Count; k++)
        {
            var keyword = call.Keywords[k];
            if (ReferenceEquals(keyword.Value, invoked.Callable))
            {
                continue;
            }
            if (keyword.Arg == "args" && argsItems is not null)
            {
                FromFirst(argsItems);
                continue;
            }
            if (keyword.Arg is null or "args" or "kwargs")
            {
                ToEveryParameter(keywords[k]);
                continue;
            }
            var index = unit.IndexOfParameter(keyword.Arg);
            if (index >= first)
            {
                arguments.Add((index, keywords[k]));
            }
            else if (unit.KwargIndex >= 0)
            {
                arguments.Add((unit.KwargIndex, keywords[k]));
            }
        }
        return arguments;
    }
}
