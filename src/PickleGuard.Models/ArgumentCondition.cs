namespace PickleGuard.Models;

/// <summary>
/// A test on one argument of a sink call (or of its constructor). It holds when the argument is provably one of
/// <see cref="Values"/> (literals), provably one of <see cref="Classes"/> (qualified names; project classes that
/// subclass one also count), or — with <see cref="Present"/> — given and not the literal <c>None</c>.
/// An absent argument is judged by <see cref="Missing"/>; an argument that cannot be proven either way never holds.
/// </summary>
public sealed record ArgumentCondition(
    ArgumentSelector Argument,
    IReadOnlyList<ModelLiteral> Values,
    IReadOnlyList<string> Classes,
    bool Present,
    MissingArgumentVerdict Missing)
{
    /// <summary>With <see cref="MissingArgumentVerdict.DefaultClass"/>: the class an absent argument stands for.</summary>
    public string? MissingClass { get; init; }

    /// <summary>
    /// The library release from which an absent argument defaults to a safe value (<c>torch.load</c>'s
    /// <c>weights_only</c> is True since torch 2.6): a project that requires that release or later gets the safe default.
    /// </summary>
    public PackageRelease? DefaultSince { get; init; }

    /// <summary>
    /// The library release that introduced the argument (<c>torch.load</c>'s <c>weights_only</c>: torch 1.13). Code
    /// may give it only where a test of the installed version says it exists (diffusers' <c>{"weights_only": True} if
    /// is_torch_version("&gt;=", "1.13") else {}</c>); on an older release no call can give it, so such a call gives it
    /// wherever it can be given.
    /// </summary>
    public PackageRelease? AddedIn { get; init; }
}
