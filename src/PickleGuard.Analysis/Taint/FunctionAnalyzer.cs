using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Analyses one function (or a module's top level) flow-sensitively over its syntax tree: an abstract state maps
/// local variables to taint; branches are analysed apart and joined (constant conditions folded, guards verify
/// data in the branch where they hold), loops twice. Parameters start as parameter origins so the result is a
/// summary valid for every caller; source data found on the way is recorded directly.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    private readonly TaintProgram _program;
    private TaintUnit _unit;
    private ModuleModel _module;
    private TaintState _state;
    private TaintValue _returned;
    private int _steps;
    private int _loopDepth;

    /// <summary>The overrides this analysis's calls on <c>self</c>/<c>cls</c> do not run (<see cref="TaintUnit.HiddenOverrides"/>, or one of <see cref="TaintUnit.ReceiverGroups"/>).</summary>
    private (CallExpr Call, TaintUnit Callee)[]? _hidden;

    /// <summary>The list <see cref="MapArguments"/> fills, kept from call to call (null while in use).</summary>
    private List<(int Parameter, TaintValue Value)>? _spareArguments;

    /// <summary>Trace messages of calls by callee and parameter (<see cref="StepMessage"/>), kept from unit to unit.</summary>
    private readonly Dictionary<(TaintUnit Callee, int Parameter), string> _stepMessages = [];

    /// <summary>Trace messages of assignments by variable name (<see cref="AssignedMessage"/>), kept from unit to unit.</summary>
    private readonly Dictionary<string, string> _assignedMessages = new(StringComparer.Ordinal);

    /// <summary>This analyzer's states and their tables, reused from analysis to analysis.</summary>
    private readonly TaintStatePool _statePool = new();

    public FunctionAnalyzer(TaintProgram program, TaintUnit unit)
    {
        _program = program;
        _unit = unit;
        _module = unit.Module;
        _hidden = unit.HiddenOverrides;
        _state = TaintState.Start(unit.Scope, _statePool);
        _localNameKey = LocalNameKey;
        _parameterSlotKey = ParameterSlotKey;
        _moduleVariableKey = ModuleVariableKey;
    }

    /// <summary>
    /// Starts over for <paramref name="unit"/>, as a new analyzer would: the engine runs each worker's units with one
    /// analyzer (an analyzer per analysis was ~9 MB on the standard library). Every field but the program, the spare
    /// argument list and arrays, the state pool and the message tables (their texts depend on the callee or name only)
    /// is reset here: a field added to the analyzer must be added here too.
    /// The test FunctionAnalyzerResetTests enforces this (its allow-list names the mutable fields kept on purpose).
    /// </summary>
    public void Reset(TaintUnit unit)
    {
        _unit = unit;
        _module = unit.Module;
        _hidden = unit.HiddenOverrides;
        _statePool.ReuseAll();
        _state = TaintState.Start(unit.Scope, _statePool);
        _returned = TaintValue.Clean;
        _steps = 0;
        _loopDepth = 0;
        _continued = null;
        _broken = null;
        _decodingCalls = null;
        _mayDecode = null;
        _localSaves = null;
        _pathTemplates = null;
        _boundPaths = null;
        _valueSaves = null;
        _memberStores = null;
        _writeHandles = null;
        _confined = ObjectConfinement.None;
        _construction = null;
        _constructedParts = null;
        _partOwners = null;
        _tracksReceiver = null;
        _keepsReceiverData = null;
        _receiverOrigins = null;
        _guardsVerified = false;
        _verifiedAtExits = null;
        _invokedItems = default;
        _existingPaths = null;
    }

    public void Run()
    {
        _unit.Truncated = false;
        if (_unit.ReceiverGroups is { } groups)
        {
            for (var g = 0; g < groups.Length; g++)
            {
                if (g > 0)
                {
                    var verified = _verifiedAtExits; // a parameter is verified at exit only when it is for every receiver class
                    Reset(_unit);
                    _verifiedAtExits = verified;
                }
                _hidden = groups[g];
                AnalyseBody();
            }
        }
        else
        {
            AnalyseBody();
        }
        foreach (var (parameter, reason) in _verifiedAtExits ?? [])
        {
            _unit.OwnSummary.AddVerifiedAtExit(parameter, reason);
        }
    }

    /// <summary>One pass over the body, adding what it finds to the unit's summary.</summary>
    private void AnalyseBody()
    {
        _confined = _program.Confinement.ConfinedLocals(_unit);
        BindParameters();
        if (_unit.LambdaBody is { } lambdaBody)
        {
            Return(Eval(lambdaBody), lambdaBody, "returned");
        }
        else
        {
            ExecBlock(_unit.Body);
            if (_state.Reachable)
            {
                NoteExit(); // falling off the end returns too
            }
        }
        foreach (var origin in _returned.Origins)
        {
            var summary = _unit.OwnSummary;
            if (origin.IsSource)
            {
                summary.ReturnSources = summary.ReturnSources.Join(TaintValue.Of(AsReturned(origin)));
            }
            else if (origin is { Verified: { } reason, IsReceiverAttribute: false })
            {
                summary.AddVerifiedReturn(origin.Parameter, origin.Trace, reason);
            }
            else
            {
                summary.AddReturn(origin, origin.Trace);
            }
        }
        PublishVariables();
    }

    /// <summary>Whether this analysis's <paramref name="call"/> does not run <paramref name="callee"/> (<see cref="_hidden"/>).</summary>
    private bool Hides(CallExpr call, TaintUnit callee)
    {
        if (_hidden is null)
        {
            return false;
        }
        foreach (var (hiddenCall, hiddenCallee) in _hidden)
        {
            if (hiddenCall == call && hiddenCallee == callee)
            {
                return true;
            }
        }
        return false;
    }

    private void BindParameters()
    {
        // The same for every analysis of the unit (re-analyses are frequent): made once.
        _unit.ParameterTaints ??= ParameterTaints();
        for (var i = 0; i < _unit.Parameters.Length; i++)
        {
            if (_unit.ParameterTaints[i] is { } taint)
            {
                _state.Set(_unit.Parameters[i].ArgValue, taint);
            }
        }
    }

    private VarTaint?[] ParameterTaints()
    {
        var taints = new VarTaint?[_unit.Parameters.Length];
        _program.Index.ParameterSources.TryGetValue(_unit, out var sources);
        for (var i = 0; i < _unit.Parameters.Length; i++)
        {
            var parameter = _unit.Parameters[i];
            if (i == 0 && _unit.TakesReceiver)
            {
                continue; // `self` carries no data of its own; its attributes are tracked per class
            }
            // Its text is made only if a report shows it: most parameters' traces never reach one.
            var start = TraceLink.Start(_module, parameter.Span.Start, StepText.Parameter(parameter.ArgValue, _unit.Name));
            var taint = TaintValue.Of(new TaintOrigin("", parameter.ArgValue, i, null, null, start));
            foreach (var source in sources ?? [])
            {
                if (source.Index == i)
                {
                    var message = $"source ({source.Kind}): {source.Label}" + source.Attributes switch
                    {
                        null => "",
                        _ when source.Kind == "remote" => " (its request data)",
                        var attributes => $" (data through its {string.Join('/', attributes.Take(3))}{(attributes.Count > 3 ? "/…" : "")})",
                    };
                    // A URL part starts at the route that captures it (the URLconf), then enters the view's parameter.
                    var trace = source.Route is { } route
                        ? route.Then(_module, parameter.Span.Start, $"passed to parameter '{parameter.ArgValue}' of '{_unit.Name}'")
                        : TraceLink.Start(_module, parameter.Span.Start, message);
                    taint = taint.Join(TaintValue.Of(new TaintOrigin(source.Kind, source.Label, -1, source.Attributes, null, trace)));
                }
            }
            taints[i] = new VarTaint(taint, null);
        }
        return taints;
    }

    /// <summary>
    /// <c>return a, b</c> in a function that returns tuples of one length (<c>yield a, b</c> in a generator that yields
    /// them): which elements hold data, then the whole.
    /// </summary>
    private void ReturnTuple(TupleExpr tuple, Node at, string verb)
    {
        var whole = TaintValue.Clean;
        for (var i = 0; i < tuple.Elts.Count; i++)
        {
            var element = Eval(tuple.Elts[i]);
            if (!element.IsClean)
            {
                _unit.OwnSummary.AddTaintedReturnElement(i);
                whole = whole.Join(element);
            }
        }
        Return(whole, at, verb);
    }

    /// <summary><c>return {"a": x, "b": y}</c> in a function that returns dict displays only: which keys hold data, then the whole.</summary>
    private void ReturnDict(DictExpr dict, Node at)
    {
        var whole = TaintValue.Clean;
        for (var i = 0; i < dict.Keys.Count; i++)
        {
            var value = Eval(dict.Values[i]);
            if (!value.IsClean)
            {
                _unit.OwnSummary.AddTaintedReturnElement(Array.IndexOf(_unit.ReturnedKeys, ConstantKey(dict.Keys[i]!)));
                whole = whole.Join(value);
            }
        }
        Return(whole, at, "returned");
    }

    /// <summary>Adds a returned or yielded value to the function's result (the step's text is only built for tainted data).</summary>
    private void Return(TaintValue value, Node at, string verb)
    {
        if (!value.IsClean)
        {
            _returned = _returned.Join(value.Step(_module, at.Span.Start, $"{verb} by '{_unit.Name}'"));
        }
    }

    /// <summary>
    /// Counts <paramref name="cost"/> steps against both budgets: one per statement or expression visited, and the
    /// size of the work done at once when a callee's summary is applied (its entries times the origins passed), so a
    /// summary with hundreds of attribute or sink entries applied at thousands of call sites cannot run away unseen.
    /// </summary>
    private bool OverBudget(int cost = 1)
    {
        _program.TotalSteps += cost;
        if (_program.Exhausted)
        {
            return true; // the global budget is spent: the engine reports that once, not per function
        }
        _steps += cost;
        if (_steps <= _program.Options.MaxStepsPerFunction)
        {
            return false;
        }
        _unit.Truncated = true;
        return true;
    }

    /// <summary>The node's source text for a message: on one line, at most 50 characters (<see cref="StepText.Shown"/>).</summary>
    private string Text(Node node) => StepText.Shown(_module, node);

    /// <summary>The node's source text, whole ("?" for a span outside the source).</summary>
    private string ExactText(Node node) => StepText.Exact(_module, node);
}
