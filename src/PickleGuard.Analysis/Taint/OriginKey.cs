namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a <see cref="TaintOrigin"/> says about where its data came from, apart from its trace: a source
/// (<see cref="Parameter"/> is <see cref="TaintOrigin.SourceIndex"/>; <see cref="Kind"/> is its threat-model group) or,
/// inside a function summary, the function's parameter <see cref="Parameter"/>, or the attribute <see cref="Label"/> of
/// the method's receiver (<see cref="Parameter"/> is <see cref="TaintOrigin.ReceiverIndex"/>). An object source
/// (<see cref="Attributes"/> set) taints only those attributes of the object (<c>request.GET</c>); <see cref="Verified"/>
/// says which sanitizer authenticated the data on the way; <see cref="Fetched"/>, which parameter's URL a source's data
/// was fetched from; <see cref="HeldIn"/>, for data an object handed on whole holds, the attributes holding it.
/// Shared by every step of the origin's trace: a step makes a new trace link only.
/// </summary>
/// <param name="HeldIn">
/// Set on the data in the attributes of an object passed on whole whose attributes hold only what was stored under
/// their names (a SQLAlchemy model made from keywords: FunctionAnalyzer.HeldFields.cs): reading another plain attribute
/// of the object gives none of it. Null: the data is the value itself (or may be in any of its attributes).
/// </param>
internal sealed record OriginKey(string Kind, string Label, int Parameter, IReadOnlyList<string>? Attributes, string? Verified, FetchedUrl? Fetched = null,
    IReadOnlyList<string>? HeldIn = null);
