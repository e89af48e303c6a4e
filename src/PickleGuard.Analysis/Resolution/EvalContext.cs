using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Resolution;

/// <summary>Where an expression is evaluated: its scope, the offset it runs at and the blocks enclosing it.</summary>
public readonly record struct EvalContext(Scope Scope, int Offset, BlockPath Blocks)
{
    public ModuleModel Module => Scope.Module;

    public static EvalContext At(CallSite site) => new(site.Scope, site.Call.Span.Start, site.Blocks);

    /// <summary>The context a binding's value is evaluated in (just before the binding takes effect).</summary>
    public static EvalContext Of(Binding binding) => new(binding.ExecutingScope, binding.Node.Span.Start, binding.Blocks);

    /// <summary>The end of a scope: a use from a nested scope or another module sees the scope's final bindings.</summary>
    public static EvalContext EndOf(Scope scope) => new(scope, int.MaxValue, scope.Body);

    /// <summary>Where a function is declared: its decorators and annotations are read in the enclosing scope.</summary>
    public static EvalContext DeclarationOf(FunctionInfo function)
    {
        var scope = function.Scope.Parent ?? function.Scope;
        return new EvalContext(scope, function.Node.Span.Start, scope.Body);
    }
}
