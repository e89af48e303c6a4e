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
/// <see cref="MadeAt"/>, which constructions' objects alone hold it; <see cref="ReadThrough"/>, for a parameter's data,
/// the attributes read on the object passed to get it.
/// Shared by every step of the origin's trace: a step makes a new trace link only. The four rare parts share one
/// object, made only when one is set: a key is made for every parameter of every analysis.
/// </summary>
internal sealed record OriginKey(string Kind, string Label, int Parameter, IReadOnlyList<string>? Attributes, string? Verified)
{
    private RareParts? _rare;

    /// <summary>The parameter whose URL a source's data was fetched from (<see cref="TaintOrigin.Unfetched"/>), or null.</summary>
    public FetchedUrl? Fetched
    {
        get => _rare?.Fetched;
        init => _rare = RareParts.Of(value, HeldIn, MadeAt, ReadThrough);
    }

    /// <summary>
    /// Set on the data in the attributes of an object passed on whole whose attributes hold only what was stored under
    /// their names (a SQLAlchemy model made from keywords: FunctionAnalyzer.HeldFields.cs): reading another plain attribute
    /// of the object gives none of it. Null: the data is the value itself (or may be in any of its attributes).
    /// </summary>
    public IReadOnlyList<string>? HeldIn
    {
        get => _rare?.HeldIn;
        init => _rare = RareParts.Of(Fetched, value, MadeAt, ReadThrough);
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
        init => _rare = RareParts.Of(Fetched, HeldIn, value, ReadThrough);
    }

    /// <summary>
    /// For a function's parameter (<see cref="Parameter"/> at least 0): the attributes read on the object passed for
    /// it on the way to this value (<c>conn.get(k)</c>: <c>get</c>; <c>kwargs.pop("pipeline")</c>: <c>pop</c>), or
    /// <see cref="TaintOrigin.AnyRead"/> when the value was made from it otherwise (stored in an object's attribute,
    /// returned derived by a callee). Null: the object itself, or a container holding it. A caller's client passed for
    /// the parameter comes back as data only when one of these is one of its reads (FunctionAnalyzer.Receiver.cs,
    /// <c>Returned</c>); otherwise it stays a client, as when the same code runs in the caller. Origins differing only
    /// in it are one origin, read through the union of both (<see cref="TaintValue.Join"/>).
    /// </summary>
    public string[]? ReadThrough
    {
        get => _rare?.ReadThrough;
        init => _rare = RareParts.Of(Fetched, HeldIn, MadeAt, value);
    }

    private sealed record RareParts(FetchedUrl? Fetched, IReadOnlyList<string>? HeldIn, CallExpr[]? MadeAt, string[]? ReadThrough)
    {
        public static RareParts? Of(FetchedUrl? fetched, IReadOnlyList<string>? heldIn, CallExpr[]? madeAt, string[]? readThrough) =>
            fetched is null && heldIn is null && madeAt is null && readThrough is null ? null : new(fetched, heldIn, madeAt, readThrough);
    }
}
