using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

public sealed partial class ValueResolver
{
    /// <summary>
    /// What the project's constructions of a class pass for a plain parameter of its <c>__init__</c>: lithops'
    /// <c>MethodWrapper(self, name)</c> stores the proxy it is given as <c>self._proxy</c>, and reads
    /// <c>self._proxy._pickler.loads</c> (the proxy's module). Constants passed do not count (a literal passed once
    /// proves nothing of the data). What callers outside the project pass stays unknown, so the values always include
    /// that unknown argument: a safe value passed here proves nothing. Only calls by the class's own name are read (not
    /// a subclass's, nor <c>super().__init__</c>), in the modules that may name it, at most
    /// <see cref="MaxConstructionsRead"/> of them.
    /// </summary>
    public IReadOnlyList<SymbolicValue> ConstructorArguments(Binding parameter)
    {
        if (!parameter.Scope.Module.Functions.TryGetValue(parameter.Scope.Node, out var init)
            || init is not { Name: "__init__", Owner: { } cls, Arguments: { } arguments }
            || parameter.Default is not null || parameter.Node is Arg { Annotation: not null }
            || IndexOf(arguments.Args, parameter.Name) is var index && index == 0)
        {
            return [];
        }
        var selector = new ArgumentSelector(index > 0 ? index - 1 : null, parameter.Name);
        // The unknown argument first: a full set refuses what comes after.
        var values = new ValueSet();
        values.Add(new ApiValue($"<argument for {parameter.Name}>"));
        return AddConstructorArguments(ref values, cls, selector) ? values.Result : [];
    }

    /// <summary>The most constructions whose argument one parameter's values are read from (the rest stay unknown).</summary>
    private const int MaxConstructionsRead = 32;

    /// <summary>Adds the non-constant values the constructions of <paramref name="cls"/> pass for one parameter; whether there was one.</summary>
    private bool AddConstructorArguments(ref ValueSet values, ClassInfo cls, ArgumentSelector selector)
    {
        var found = false;
        var resolved = 0;
        foreach (var site in CallsNamed(cls))
        {
            var call = site.Call;
            // A literal passed is skipped before anything is resolved: generated code constructs its field classes
            // thousands of times with numbers (apitools' `messages.StringField(1)`).
            if (Detection.ArgumentFinder.Find(call, selector).Value is not { } passed || passed is ConstantExpr)
            {
                continue;
            }
            if (values.Full || ++resolved > MaxConstructionsRead)
            {
                break;
            }
            var context = new EvalContext(site.Scope, call.Span.Start, site.Blocks);
            if (!Constructs(Resolve(call.Func, context), cls))
            {
                continue;
            }
            foreach (var value in Resolve(passed, context))
            {
                if (value is not ConstantSymbol)
                {
                    values.Add(value);
                    found = true;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// What the store <paramref name="store"/> in <paramref name="cls"/>'s own <c>__init__</c> gives the instance made by
    /// <paramref name="creation"/> when it stores <c>parameter.method(...)</c>: that method of what the construction
    /// passes for the parameter, called. A generated gRPC stub's <c>self.GetActions = channel.unary_unary(...)</c> on
    /// <c>AsyncInferenceStub(grpc.insecure_channel(address))</c> is a <c>grpc.insecure_channel().unary_unary()</c>, as
    /// <see cref="ObjectsMadeAt"/> makes of a plain helper. Only a library object passed counts; nothing otherwise.
    /// </summary>
    private IReadOnlyList<SymbolicValue> MadeFromConstructorArgument(Binding store, ClassInfo cls, CallExpr creation)
    {
        if (store.Value is not CallExpr { Func: AttributeExpr { Value: NameExpr { Id: var parameter }, Attr: var method } } made
            || !store.Scope.Module.Functions.TryGetValue(store.Scope.Node, out var init)
            || init is not { Name: "__init__", Owner: var owner, Arguments: { } arguments } || owner != cls
            || IndexOf(arguments.Args, parameter) is not (> 0 and var index) || !IsParameter(init, parameter)
            || Detection.ArgumentFinder.Find(creation, new ArgumentSelector(index - 1, parameter)).Value is not { } passed
            || CreationSite(cls, creation) is not { } site)
        {
            return [];
        }
        var objects = new ValueSet();
        foreach (var value in Resolve(passed, EvalContext.At(site)))
        {
            if (value is ApiValue api && api.Path.EndsWith(ApiPath.CallMarker, StringComparison.Ordinal))
            {
                foreach (var member in ApiMember(api, method))
                {
                    objects.Add(CallResult(member, made));
                }
            }
        }
        return objects.Result;
    }

    /// <summary>The call site of <paramref name="creation"/>, a call by the name of <paramref name="cls"/>, or null.</summary>
    private CallSite? CreationSite(ClassInfo cls, CallExpr creation)
    {
        foreach (var site in CallsNamed(cls))
        {
            if (ReferenceEquals(site.Call, creation))
            {
                return site;
            }
        }
        return null;
    }

    /// <summary>The calls by the name of <paramref name="cls"/> in the modules that may name it.</summary>
    private IEnumerable<CallSite> CallsNamed(ClassInfo cls)
    {
        foreach (var module in _project.ModulesNaming(cls.DefiningScope.Module))
        {
            if (!ModuleText.MayName(module, cls.Name))
            {
                continue;
            }
            foreach (var site in module.CallsNamed(cls.Name))
            {
                yield return site;
            }
        }
    }

    private static bool Constructs(IReadOnlyList<SymbolicValue> callees, ClassInfo cls)
    {
        for (var i = 0; i < callees.Count; i++)
        {
            if (callees[i] is ClassValue constructed && constructed.Class == cls)
            {
                return true;
            }
        }
        return false;
    }
}
