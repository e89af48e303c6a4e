using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Methods called on a parameter, resolved from what the callers pass (ProjectIndex.ObjectMethods.cs). In the callee,
/// <c>server.recv(rlen)</c> that resolves to nothing also gives an origin of its own, the result of <c>recv</c> called
/// on the parameter <c>server</c> (<see cref="TaintOrigin.ObjectMethodIndex"/>), when some call passes an object whose
/// class has a project <c>recv</c>; the summary keys its paths as a parameter's. At such a call, the caller gives that
/// input what the method returns (its source data), so <c>_recv_value(server, ...)</c> with a <c>_Host</c> whose
/// <c>recv</c> reads a socket decodes network data in the callee; an argument of unknown class gives nothing. A function
/// handing such a parameter on to a helper (<c>return recv_value(server)</c>) gives the helper's input its own
/// (<see cref="HandObjectMethodInputsOn"/>), so the caller's object reaches the helper's call of the method.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// The result of <c>p.m(...)</c> as a method's result on parameter <c>p</c> (<see cref="TaintOrigin.ObjectMethodIndex"/>),
    /// when the call resolves to no project code and some caller passes <c>p</c> an object with a project method <c>m</c>; else clean.
    /// </summary>
    private TaintValue ObjectMethodResult(CallExpr call, AttributeExpr method)
    {
        if (method.Value is not NameExpr owner || !_program.Index.HasObjectMethodInputs(_unit.Scope)
            || _unit.IndexOfParameter(owner.Id) is not (>= 0 and var parameter)
            || _program.Index.ObjectMethodInput(_unit.Scope, parameter, method.Attr) is not { } index
            || _program.Index.CallOf(_module, call) is { } info && (!info.Functions.IsEmpty || !info.Classes.IsEmpty || info.Source is not null))
        {
            return TaintValue.Clean;
        }
        var start = TraceLink.Start(_module, call.Span.Start, $"'{owner.Id}.{method.Attr}(...)' gives what '{method.Attr}' of the object passed as '{owner.Id}' returns");
        return TaintValue.Of(new TaintOrigin("", $"{owner.Id}.{method.Attr}()", index, null, null, start));
    }

    /// <summary>Whether both this function and <paramref name="callee"/> have inputs for methods called on their parameters.</summary>
    private bool HandsObjectMethodsOn(TaintUnit callee) =>
        _program.Index.HasObjectMethodInputs(callee.Scope) && _program.Index.HasObjectMethodInputs(_unit.Scope);

    /// <summary>
    /// <c>recv_value(server)</c> with <c>server</c> a parameter of this function that has an input for <c>recv</c>: the
    /// callee's input for <c>recv</c> called on the parameter <c>server</c> binds is this function's own, so what a caller's
    /// object's <c>recv</c> returns goes where the callee's call of it goes.
    /// </summary>
    private void HandObjectMethodInputsOn(List<(int Parameter, TaintValue Value)> arguments, TaintUnit callee, CallExpr call, int offset)
    {
        foreach (var (parameter, method, index) in _program.Index.ObjectMethodInputsOf(callee.Scope))
        {
            if (ArgumentFor(callee, call, parameter, offset) is NameExpr { Id: var name } && _unit.IndexOfParameter(name) is >= 0 and var own
                && _unit.Scope.BindingsOf(name).Count == 1 && _program.Index.ObjectMethodInput(_unit.Scope, own, method) is { } ownIndex)
            {
                var start = TraceLink.Start(_module, call.Span.Start, $"'{name}' is handed to '{callee.Name}', which calls '{method}' on it");
                arguments.Add((index, TaintValue.Of(new TaintOrigin("", $"{name}.{method}()", ownIndex, null, null, start))));
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="arguments"/> what each project method in <paramref name="methods"/> returns, for the input of
    /// <paramref name="callee"/> standing for its call on the parameter the method's argument binds.
    /// </summary>
    private void AddObjectMethodResults(List<(int Parameter, TaintValue Value)> arguments, TaintUnit callee, CallExpr call, int offset, ObjectMethod[] methods)
    {
        foreach (var method in methods)
        {
            if (method.Unit.Summary.ReturnSources is not { IsClean: false } returned
                || ParameterBoundBy(callee, call, method.Argument, offset) is not (>= 0 and var parameter)
                || _program.Index.ObjectMethodInput(callee.Scope, parameter, method.Method) is not { } index)
            {
                continue;
            }
            var message = $"returned by '{method.Class.Name}.{method.Method}' of the object passed as '{callee.Parameters[parameter].ArgValue}' to '{callee.Name}'";
            arguments.Add((index, returned.Unmade().Step(_module, call.Span.Start, message)));
        }
    }
}
