using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Streamlit keeps the value of a widget made with <c>key="k"</c> in <c>st.session_state.k</c> (also
/// <c>st.session_state["k"]</c>), where the app reads it — in the widget's <c>on_change</c> callback as often as not:
/// <c>st.file_uploader("Model", key="model_file", on_change=load)</c>, then
/// <c>pickle.loads(st.session_state.model_file.getvalue())</c> in <c>load</c> (skops' model card Space). So the key of a
/// widget that is a source names that source's data in the session state.
/// </summary>
internal sealed partial class ProjectIndex
{
    private const string SessionState = "streamlit.session_state";

    private Dictionary<string, (SourceModel Model, string Name)>? _widgetStates;

    /// <summary>The key a call of a Streamlit widget that is a source gives its value (<c>key="k"</c>), else null.</summary>
    private static string? WidgetKey(CallInfo info, CallExpr call) =>
        info.Source is { Name: var name } && name.StartsWith("streamlit.", StringComparison.Ordinal)
            && Detection.ArgumentFinder.Find(call, KeyArgument).Value is ConstantExpr { Value.AsString: { } key }
            ? key
            : null;

    /// <summary>A widget's <c>key=</c>: keyword-only in every Streamlit widget.</summary>
    private static readonly ArgumentSelector KeyArgument = new(null, "key");

    /// <summary>Merges the widget keys the modules' passes found (<see cref="FindCallFacts"/>), in module order.</summary>
    private void MergeWidgetStates()
    {
        foreach (var facts in _moduleCallFacts)
        {
            foreach (var (key, source) in facts.WidgetStates ?? [])
            {
                (_widgetStates ??= new(StringComparer.Ordinal)).TryAdd(key, source);
            }
        }
    }

    /// <summary>
    /// The source whose value <c>st.session_state.key</c> holds, when <paramref name="state"/> is Streamlit's session
    /// state and a widget that is a source was made with that key anywhere in the project; else null.
    /// </summary>
    public (SourceModel Model, string Name)? WidgetState(Expr state, string key, Resolution.ValueResolver resolver, Semantic.Scope scope)
    {
        if (_widgetStates is null || !_widgetStates.TryGetValue(key, out var widget) || state is not AttributeExpr { Attr: "session_state" })
        {
            return null;
        }
        foreach (var value in resolver.Resolve(state, new Resolution.EvalContext(scope, state.Span.Start, scope.Body)))
        {
            if (value is Resolution.ApiValue { Path: SessionState })
            {
                return (widget.Model, $"{SessionState}.{key} (the value of {widget.Name}(key=\"{key}\"))");
            }
        }
        return null;
    }
}
