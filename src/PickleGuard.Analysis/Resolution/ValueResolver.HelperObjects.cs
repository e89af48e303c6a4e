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
    /// <paramref name="element"/> is the item of a returned tuple the call's result is unpacked into (<c>sock, address =
    /// make_zmq_socket(..., return_address=True)</c>), or -1 for the whole result. Only when the helper's returns resolve
    /// to nothing by themselves (the parameter is known only where it is called) and the argument is a library object
    /// (<c>zmq.Context()</c>, not a module or a function); null otherwise.
    /// </summary>
    private IReadOnlyList<SymbolicValue>? ObjectsMadeAt(FunctionInfo helper, CallExpr call, EvalContext context, int element)
    {
        if (helper.Owner is not null || helper.Returns.Length == 0 || MethodOfParameterReturned(helper, element) is not var (parameter, method, made)
            || Detection.ArgumentFinder.Find(call, PlainParameter(helper, parameter)).Value is not { } argument
            || element < 0 && ReturnValues(helper).Count > 0)
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
    /// socket</c>), with one such call; null for any other return. With <paramref name="element"/> at 0 or more, the
    /// returns looked at are that item of the tuple or list displays returned; with -1, the other returns (a tuple is
    /// not the object). Kept per function and element: every call of a plain function whose returns resolve to nothing
    /// asks.
    /// </summary>
    private (string Parameter, string Method, CallExpr Made)? MethodOfParameterReturned(FunctionInfo helper, int element)
    {
        if (_parameterMethodReturns.TryGetValue((helper, element), out var known))
        {
            return known;
        }
        (string Parameter, string Method, CallExpr Made)? found = null;
        foreach (var (value, blocks) in helper.Returns)
        {
            if (!ReturnedAt(value, element, out var items))
            {
                return Remember(helper, element, null);
            }
            foreach (var item in items)
            {
                var returned = item is NameExpr local
                    && ReachingBindings(local.Id, new EvalContext(helper.Scope, local.Span.Start, blocks)) is [{ Kind: BindingKind.Assignment, Value: { } bound }]
                    ? bound
                    : item;
                if (returned is not CallExpr { Func: AttributeExpr { Value: NameExpr { Id: var name }, Attr: var attribute } } made
                    || !IsParameter(helper, name) || found is { } first && (first.Parameter != name || first.Method != attribute))
                {
                    return Remember(helper, element, null);
                }
                found ??= (name, attribute, made);
            }
        }
        return Remember(helper, element, found);
    }

    private (string, string, CallExpr)? Remember(FunctionInfo helper, int element, (string, string, CallExpr)? found)
    {
        if (!_spent)
        {
            _parameterMethodReturns[(helper, element)] = found;
        }
        return found;
    }

    /// <summary>
    /// The expressions a <c>return</c> of <paramref name="value"/> gives for <paramref name="element"/> (see
    /// <see cref="MethodOfParameterReturned"/>), each branch of a conditional expression apart (vLLM's <c>return (socket,
    /// address) if return_address else socket</c>). False for a bare <c>return</c>, and for a display too short for the
    /// element or with a starred item up to it.
    /// </summary>
    internal static bool ReturnedAt(Expr? value, int element, out List<Expr> items)
    {
        items = [];
        return value is not null && AddReturnedAt(value, element, items);
    }

    private static bool AddReturnedAt(Expr value, int element, List<Expr> items)
    {
        if (value is IfExpr conditional)
        {
            return AddReturnedAt(conditional.Body, element, items) && AddReturnedAt(conditional.Orelse, element, items);
        }
        var display = value switch { TupleExpr tuple => tuple.Elts, ListExpr list => list.Elts, _ => null };
        if (display is null)
        {
            if (element < 0)
            {
                items.Add(value); // the object itself; nothing to unpack an item from
            }
            return true;
        }
        if (element < 0)
        {
            return true; // a tuple is not the object
        }
        if (element >= display.Count || display.Take(element + 1).Any(item => item is StarredExpr))
        {
            return false;
        }
        items.Add(display[element]);
        return true;
    }
}
