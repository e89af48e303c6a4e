using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Analysis.Taint;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class ProvenanceEvaluator
{
    /// <summary>
    /// <c>tmp.name</c> of a value the program controls: a fresh temporary directory or file
    /// (<c>tempfile.TemporaryDirectory()</c>, kept in a local or on <c>self</c> in <c>setUp</c>: mmengine's tests), or a
    /// file opened by a literal path. Values of unknown provenance, project objects among them, are never trusted this
    /// way. Null when the attribute is not <c>name</c> or the receiver is not the program's.
    /// </summary>
    private Provenance? NameOfProgramObject(AttributeExpr attribute, EvalContext context)
    {
        if (attribute.Attr != "name")
        {
            return null;
        }
        var receiver = Evaluate(attribute.Value, context);
        return receiver.IsProgramControlled ? Provenance.Program($"the name of {receiver.Description}") : null;
    }

    /// <summary>
    /// The target of <c>with make_tempdir() as d</c> where <c>make_tempdir</c> is a project generator decorated with
    /// <c>contextlib.contextmanager</c>: what it yields (spaCy's test helper yields <c>Path(tempfile.mkdtemp())</c>).
    /// Null when the context manager is anything else, or yields nothing.
    /// </summary>
    private Provenance? YieldedByContextManager(Expr managed, EvalContext context)
    {
        if (managed is not CallExpr call || _resolver.Resolve(call.Func, context) is not [FunctionValue { Function: var function }]
            || !IsContextManagerGenerator(function) || !_functionsFollowed.Add(function))
        {
            return null;
        }
        try
        {
            Provenance? first = null;
            foreach (var yielded in ReturnCollector.YieldsOf(function.Body))
            {
                var provenance = yielded.Value is { } value
                    ? Evaluate(value, new EvalContext(function.Scope, yielded.Span.Start, function.Scope.Body))
                    : Provenance.Program("None");
                if (!provenance.IsProgramControlled)
                {
                    return provenance;
                }
                first ??= provenance;
            }
            return first is { } some ? Provenance.Program($"what '{function.Name}()' yields, {some.Description}") : null;
        }
        finally
        {
            _functionsFollowed.Remove(function);
        }
    }

    private bool IsContextManagerGenerator(FunctionInfo function) =>
        function.Decorators is [var decorator]
        && _resolver.Resolve(decorator, EvalContext.DeclarationOf(function)) is [ApiValue { Path: "contextlib.contextmanager" or "contextlib.asynccontextmanager" }];
}
