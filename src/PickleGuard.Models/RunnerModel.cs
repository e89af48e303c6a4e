namespace PickleGuard.Models;

/// <summary>
/// A library call that runs the project function it is given (its first argument) with arguments of its own first:
/// Lightning's <c>Fabric().launch(fn, *args)</c> calls <c>fn(fabric, *args)</c>, <c>torch.multiprocessing.spawn(fn,
/// args=(...))</c> calls <c>fn(process_index, *args)</c>. The call's arguments for the function bind from its parameter
/// <see cref="Prepends"/> on (after a bound method's <c>self</c>). With <see cref="Arguments"/> the function's positional
/// arguments are the items of that one argument (<c>args=</c>), and the call's other arguments are the runner's own
/// (<c>nprocs</c>); without it, the positional arguments after the function and the keywords are the function's.
/// </summary>
public sealed record RunnerModel(
    IReadOnlyList<string> Names,
    int Prepends,
    ArgumentSelector? Arguments,
    string Reason,
    string Reference,
    ModelOrigin Origin);
