using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a <see cref="TaintOrigin"/> says about where its data came from, apart from its trace: a source
/// (<see cref="Parameter"/> is <see cref="TaintOrigin.SourceIndex"/>; <see cref="Kind"/> is its threat-model group) or,
/// inside a function summary, the function's parameter <see cref="Parameter"/>, or the attribute <see cref="Label"/> of
/// the method's receiver (<see cref="Parameter"/> is <see cref="TaintOrigin.ReceiverIndex"/>). An object source
/// (<see cref="Attributes"/> set) taints only those attributes of the object (<c>request.GET</c>); <see cref="Verified"/>
/// says which sanitizer authenticated the data on the way; <see cref="Fetched"/>, which parameter's URL a source's data
/// was fetched from; <see cref="HeldIn"/>, for data an object handed on whole holds, the attributes holding it;
/// <see cref="MadeAt"/>, which constructions' objects alone hold it.
/// Shared by every step of the origin's trace: a step makes a new trace link only. The three rare parts share one
/// object, made only when one is set: a key is made for every parameter of every analysis.
/// </summary>
internal sealed record OriginKey(string Kind, string Label, int Parameter, IReadOnlyList<string>? Attributes, string? Verified)
{
    private RareParts? _rare;

    /// <summary>The parameter whose URL a source's data was fetched from (<see cref="TaintOrigin.Unfetched"/>), or null.</summary>
    public FetchedUrl? Fetched
    {
        get => _rare?.Fetched;
        init => _rare = RareParts.Of(value, HeldIn, MadeAt);
    }

    /// <summary>
    /// Set on the data in the attributes of an object passed on whole whose attributes hold only what was stored under
    /// their names (a SQLAlchemy model made from keywords: FunctionAnalyzer.HeldFields.cs): reading another plain attribute
    /// of the object gives none of it. Null: the data is the value itself (or may be in any of its attributes).
    /// </summary>
    public IReadOnlyList<string>? HeldIn
    {
        get => _rare?.HeldIn;
        init => _rare = RareParts.Of(Fetched, value, MadeAt);
    }

    /// <summary>
    /// Set on source data constructions stored into the objects they made (<c>Repo(entry.dvc_root)</c> storing
    /// <c>self.dvc_dir</c>), and kept while the data is read through a method's own receiver (<c>self.dvc_dir</c>, results
    /// of <c>self.m()</c>): the data is there only when that receiver is an object made at one of these calls (at most
    /// <see cref="TaintOrigin.MaxMadeAt"/>). Dropped everywhere else (FunctionAnalyzer.MadeAt.cs); origins differing only
    /// in it are one origin, held at the constructions of both or, when one has none, wherever (<see cref="TaintValue.Join"/>).
    /// </summary>
    public CallExpr[]? MadeAt
    {
        get => _rare?.MadeAt;
        init => _rare = RareParts.Of(Fetched, HeldIn, value);
    }

    private sealed record RareParts(FetchedUrl? Fetched, IReadOnlyList<string>? HeldIn, CallExpr[]? MadeAt)
    {
        public static RareParts? Of(FetchedUrl? fetched, IReadOnlyList<string>? heldIn, CallExpr[]? madeAt) =>
            fetched is null && heldIn is null && madeAt is null ? null : new(fetched, heldIn, madeAt);
    }
}
