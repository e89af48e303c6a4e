namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Where tainted data came from: a source (<see cref="Parameter"/> is -1; <see cref="Kind"/> is its threat-model
/// group) or, inside a function summary, the function's parameter <see cref="Parameter"/>. An object source
/// (<see cref="Attributes"/> set) taints only those attributes of the object (<c>request.GET</c>).
/// <see cref="Verified"/> says which sanitizer authenticated the data on the way.
/// </summary>
internal sealed record TaintOrigin(string Kind, string Label, int Parameter, IReadOnlyList<string>? Attributes, string? Verified, TraceLink Trace)
{
    public bool IsSource => Parameter < 0;

    public bool SameKey(TaintOrigin other) =>
        Parameter == other.Parameter && Kind == other.Kind && Label == other.Label
        && (Verified is null) == (other.Verified is null) && ReferenceEquals(Attributes, other.Attributes);
}
