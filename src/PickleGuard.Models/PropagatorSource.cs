namespace PickleGuard.Models;

/// <summary>Where a propagator's result takes its provenance from.</summary>
public enum PropagatorSource
{
    /// <summary>The argument named by <see cref="PropagatorModel.Argument"/>.</summary>
    Argument,

    /// <summary>Every positional and keyword argument (the result is as trusted as the least trusted one).</summary>
    AllArguments,

    /// <summary>
    /// The object the method is called on, joined with the method's arguments (<c>f.read(100)</c> is as trusted as
    /// <c>f</c>; <c>base.joinpath(name)</c> as the less trusted of <c>base</c> and <c>name</c>).
    /// </summary>
    Receiver,
}
