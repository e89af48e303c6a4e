using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class ProvenanceEvaluator
{
    /// <summary>
    /// What the code after <paramref name="binding"/> writes into the object it bound, in the same scope, when that is
    /// not program-controlled: an empty buffer is the program's until a call fills it — a mutator on the name
    /// (<c>buf.write(request.data)</c>, judged by its arguments) or a modelled call that saves into that argument
    /// (<c>s3.download_fileobj(bucket, key, buf)</c>, <c>shutil.copyfileobj(response, buf)</c>: a download, or a copy of
    /// data not the program's). Null when nothing fills it with outside data.
    /// </summary>
    private Provenance? FilledAfter(Binding binding)
    {
        if (binding.Node is not NameExpr)
        {
            return null; // an attribute store (`self.buf = ...`): its name is no local the calls below could pass
        }
        foreach (var site in binding.Scope.Module.Calls)
        {
            var call = site.Call;
            if (site.Scope != binding.ExecutingScope || call.Span.Start < binding.Offset)
            {
                continue;
            }
            var context = EvalContext.At(site);
            var fills = call.Func is AttributeExpr { Value: NameExpr receiver } method && receiver.Id == binding.Name
                && CodeFootprint.Mutators.Contains(method.Attr)
                    ? !JoinAll(call.Args.Concat(call.Keywords.Select(k => k.Value)), context, "a literal").IsProgramControlled
                    : PassesName(call, binding.Name) && SavesInto(call, binding.Name, context);
            if (fills)
            {
                return Provenance.Unknown($"what '{Text(call, context)}' wrote into it");
            }
        }
        return null;
    }

    private static bool PassesName(CallExpr call, string name) =>
        call.Args.Any(a => a is NameExpr n && n.Id == name) || call.Keywords.Any(k => k.Value is NameExpr n && n.Id == name);

    /// <summary>Whether the call is a download saving into the argument <paramref name="name"/>, or a copy of data the program does not control into it.</summary>
    private bool SavesInto(CallExpr call, string name, EvalContext context)
    {
        foreach (var callee in _resolver.Resolve(call.Func, context))
        {
            if (callee is not ApiValue api)
            {
                continue;
            }
            if (_models.Taint.SourceFor(api.Path) is { Model.SavesTo: { } download } && Names(call, download, name))
            {
                return true;
            }
            if (_models.PropagatorFor(api.Path) is { SavesTo: { } copy, Argument: { } from } && Names(call, copy, name)
                && ArgumentFinder.Find(call, from).Value is { } copied && !Evaluate(copied, context).IsProgramControlled)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Names(CallExpr call, Models.ArgumentSelector selector, string name) =>
        ArgumentFinder.Find(call, selector).Value is NameExpr passed && passed.Id == name;
}
