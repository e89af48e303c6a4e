using PickleGuard.Core;

namespace PickleGuard.Models;

/// <summary>
/// A deserializing call. <see cref="Names"/> are API paths: dotted qualified names where <c>()</c> marks the result
/// of a call, e.g. <c>pickle.loads</c> or <c>pickle.Unpickler().load</c> (the method of an instance).
/// </summary>
/// <param name="Input">The argument holding the decoded data (or the file/path it is read from); null when the
/// data comes from a peer, as for <c>Connection.recv()</c>.</param>
/// <param name="SafeWhen">When this holds, the call is not a sink at all.</param>
/// <param name="MitigatedWhen">When this holds, the call is a sink behind a recognised mitigation (low).</param>
/// <param name="FetchesUrls">The input may also be a URL, whose content the call downloads
/// (<c>pandas.read_pickle("https://...")</c>): a literal remote URL there is data from whoever serves it.</param>
public sealed record SinkModel(
    IReadOnlyList<string> Names,
    string Rule,
    ArgumentSelector? Input,
    ArgumentCondition? SafeWhen,
    ArgumentCondition? MitigatedWhen,
    SinkMitigation Mitigation,
    Confidence Confidence,
    string Library,
    string Reason,
    string Reference,
    ModelOrigin Origin,
    bool FetchesUrls = false)
{
    /// <summary>
    /// Method names that are this sink when called on a receiver the analysis cannot resolve (a parameter, an attribute
    /// set out of sight): names only this library uses, such as pyzmq's <c>recv_pyobj</c>.
    /// </summary>
    public IReadOnlyList<string> UnresolvedMethods { get; init; } = [];

    /// <summary>
    /// Callables that return a pair of instances of <see cref="InstanceClass"/> (<c>multiprocessing.Pipe</c>): a method
    /// of this sink called on either end, however the program keeps the ends, is this sink.
    /// </summary>
    public IReadOnlyList<string> PairFactories { get; init; } = [];

    /// <summary>The class <c>T</c> when every name is a method of its instances (<see cref="InstanceClassOf"/>); else null.</summary>
    public string? InstanceClass
    {
        get
        {
            string? found = null;
            foreach (var name in Names)
            {
                if (InstanceClassOf(name) is not { } cls || found is not null && cls != found)
                {
                    return null;
                }
                found = cls;
            }
            return found;
        }
    }

    /// <summary>The class <c>T</c> when <paramref name="name"/> is a method of its instances, <c>T().method</c> with no other call in <c>T</c>; else null.</summary>
    public static string? InstanceClassOf(string name) =>
        name.IndexOf("().", StringComparison.Ordinal) is var call and > 0 && call == name.IndexOf('(') && name.IndexOf('.', call + 3) < 0
            ? name[..call]
            : null;
}
