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
