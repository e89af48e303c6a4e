namespace PickleGuard.Analysis.Taint;

/// <summary>A parameter that receives outside data (a route handler's argument, a Django view's request).</summary>
internal sealed record ParameterSource(int Index, string Kind, string Label, IReadOnlyList<string>? Attributes);
