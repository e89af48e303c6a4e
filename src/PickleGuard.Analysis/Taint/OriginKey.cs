namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a <see cref="TaintOrigin"/> says about where its data came from, apart from its trace: a source
/// (<see cref="Parameter"/> is <see cref="TaintOrigin.SourceIndex"/>; <see cref="Kind"/> is its threat-model group) or,
/// inside a function summary, the function's parameter <see cref="Parameter"/>, or the attribute <see cref="Label"/> of
/// the method's receiver (<see cref="Parameter"/> is <see cref="TaintOrigin.ReceiverIndex"/>). An object source
/// (<see cref="Attributes"/> set) taints only those attributes of the object (<c>request.GET</c>); <see cref="Verified"/>
/// says which sanitizer authenticated the data on the way; <see cref="Fetched"/>, which parameter's URL a source's data
/// was fetched from. Shared by every step of the origin's trace: a step makes a new trace link only.
/// </summary>
internal sealed record OriginKey(string Kind, string Label, int Parameter, IReadOnlyList<string>? Attributes, string? Verified, FetchedUrl? Fetched = null);
