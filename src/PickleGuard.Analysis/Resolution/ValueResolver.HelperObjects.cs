using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

public sealed partial class ValueResolver
{
    /// <summary>
    /// What a plain function makes from the library object it is given: vLLM's <c>make_zmq_socket(ctx, path,
    /// socket_type)</c> returns <c>ctx.socket(socket_type)</c> (through a local bound only to it), so
    /// <c>make_zmq_socket(zmq.Context(), ...)</c> is a <c>zmq.Context().socket()</c>, as the call written in place is.
    /// Only when the helper's returns resolve to nothing by themselves (the parameter is known only where it is called)
    /// and the argument is a library object (<c>zmq.Context()</c>, not a module or a function); null otherwise.
    /// </summary>
    private IReadOnlyList<SymbolicValue>? ObjectsMadeAt(FunctionInfo helper, CallExpr call, EvalContext context)
    {
        if (helper.Owner is not null || helper.Returns.Count == 0 || MethodOfParameterReturned(helper) is not var (parameter, method, made)
            || Detection.ArgumentFinder.Find(call, PlainParameter(helper, parameter)).Value is not { } argument
            || ReturnValues(helper).Count > 0)
        {
            return null;
        }
        var objects = new ValueSet();
        foreach (var value in Resolve(argument, context))
        {
            if (value is ApiValue api && api.Path.EndsWith(ApiPath.CallMarker, StringComparison.Ordinal))
            {
                foreach (var member in ApiMember(api, method))
                {
                    objects.Add(CallResult(member, made));
                }
            }
        }
        return objects.Result.Count > 0 ? objects.Result : null;
    }

    /// <summary>
    /// The parameter and method of <paramref name="helper"/> whose every <c>return</c> gives <c>parameter.method(...)</c>,
    /// written there or bound to a local just before (<c>socket = ctx.socket(socket_type)</c>, then <c>return
    /// socket</c>), with one such call; null for any other return. Kept per function: every call of a plain function
    /// whose returns resolve to nothing asks.
    /// </summary>
    private (string Parameter, string Method, CallExpr Made)? MethodOfParameterReturned(FunctionInfo helper)
    {
        if (_parameterMethodReturns.TryGetValue(helper, out var known))
        {
            return known;
        }
        (string Parameter, string Method, CallExpr Made)? found = null;
        foreach (var (value, blocks) in helper.Returns)
        {
            var returned = value is NameExpr local
                && ReachingBindings(local.Id, new EvalContext(helper.Scope, local.Span.Start, blocks)) is [{ Kind: BindingKind.Assignment, Value: { } bound }]
                ? bound
                : value;
            if (returned is not CallExpr { Func: AttributeExpr { Value: NameExpr { Id: var name }, Attr: var attribute } } made
                || !IsParameter(helper, name) || found is { } first && (first.Parameter != name || first.Method != attribute))
            {
                found = null;
                break;
            }
            found ??= (name, attribute, made);
        }
        if (!_spent)
        {
            _parameterMethodReturns[helper] = found;
        }
        return found;
    }
}
