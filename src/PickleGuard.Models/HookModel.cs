namespace PickleGuard.Models;

/// <summary>
/// A call that decodes <see cref="Data"/> and calls the project's hooks with what it decodes
/// (<c>json.loads(s, object_hook=f)</c> calls <c>f(obj)</c> for every object in <c>s</c>; json_tricks'
/// <c>loads(s, obj_pairs_hooks=[f, g])</c> calls each): the callables given by the keyword arguments
/// <see cref="Keywords"/> (one, or each item of a list or tuple display) get the data's taint at their first parameter,
/// and what they return is part of the call's result. With <see cref="OnConstructor"/> the hooks are given to the call
/// that made the receiver (<c>json.JSONDecoder(object_hook=f).decode(s)</c>). With <see cref="DecoderClass"/> the call
/// decodes with an instance of the project class its keyword names (<c>json.loads(s, cls=TaggedDecoder)</c>).
/// </summary>
public sealed record HookModel(
    IReadOnlyList<string> Names,
    ArgumentSelector Data,
    IReadOnlyList<string> Keywords,
    bool OnConstructor,
    string Reason,
    string Reference,
    ModelOrigin Origin)
{
    /// <summary>The keyword argument giving the decoder class the call makes and decodes with, and the methods it calls on it; null when none.</summary>
    public DecoderClassModel? DecoderClass { get; init; }
}

/// <summary>
/// <c>json.loads(s, cls=C)</c> decodes with <c>C(**other keywords).decode(s)</c>: a project class given by
/// <see cref="Keyword"/> gives the hooks its <c>__init__</c> hands its base, and its own <see cref="Methods"/> (an
/// override of <c>decode</c> or <c>raw_decode</c>) are called with the data.
/// </summary>
public sealed record DecoderClassModel(string Keyword, IReadOnlyList<string> Methods);
