namespace PickleGuard.Analysis.Taint;

/// <summary>A parameter that receives outside data (a route handler's argument, a Django view's request).</summary>
internal sealed record ParameterSource(int Index, string Kind, string Label, IReadOnlyList<string>? Attributes)
{
    /// <summary>
    /// For a view routed by a URL route (<c>path("item/&lt;str:blob&gt;/", view)</c>): the trace's Source step at the
    /// route, which the parameter's own step follows. Such a view is a route handler (<see cref="ProjectIndex.IsRouteHandler"/>).
    /// </summary>
    public TraceLink? Route { get; init; }

    /// <summary>A URL part given to a class-based view's handler by its base class alone: a route that reads its captures replaces it.</summary>
    public bool ByViewClass { get; init; }
}
