using PickleGuard.Analysis.Taint;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// The taint index asks only the parameter-source models that may apply to a function (ParameterSourceCandidates):
/// each model whose names, decorators or signature could match must be marked, and no other, whatever position it has.
/// </summary>
public sealed class ParameterSourceCandidatesTests
{
    private static readonly ParameterSourceModel[] Models =
    [
        Model(functionNames: ["handler", "lambda_handler"]),
        Model(firstParameterNames: ["request", "req"]),
        Model(decoratedBy: ["flask.Flask().route"]),
        Model(functionNames: ["handler"], firstParameterNames: ["event"]),
        Model() with { Signature = ["request", "context"] },
        Model(functionNames: ["on_message", "on_message"]),
    ];

    [Theory]
    [InlineData("handler", null, false, new[] { 0, 3, 4 })]
    [InlineData("lambda_handler", "event", false, new[] { 0, 3, 4 })]
    [InlineData("view", "request", false, new[] { 1, 4 })]
    [InlineData("view", "req", true, new[] { 1, 2, 4 })]
    [InlineData("on_message", "payload", false, new[] { 4, 5 })]
    [InlineData("helper", "data", false, new[] { 4 })]
    [InlineData("helper", null, true, new[] { 2, 4 })]
    public void MarksExactlyTheModelsWhoseNamesDecoratorsOrSignatureMayMatch(string function, string? firstParameter, bool decorated, int[] expected)
    {
        var candidates = new ParameterSourceCandidates(Models);
        var marked = new bool[Models.Length];

        candidates.Mark(function, firstParameter, decorated, marked);

        Assert.Equal(expected, Enumerable.Range(0, marked.Length).Where(i => marked[i]));
        Assert.Same(Models, candidates.Models);
    }

    private static ParameterSourceModel Model(string[]? decoratedBy = null, string[]? functionNames = null, string[]? firstParameterNames = null) =>
        new("remote", decoratedBy ?? [], functionNames ?? [], firstParameterNames ?? [], [], [], "test", "", new ModelOrigin("test.toml", 1));
}
