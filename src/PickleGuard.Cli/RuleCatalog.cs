using PickleGuard.Analysis;
using PickleGuard.Core;
using PickleGuard.Pickle;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Cli;

/// <summary>Every rule PickleGuard can report, from every engine, ordered by code.</summary>
internal static class RuleCatalog
{
    public static IReadOnlyList<RuleDescriptor> All { get; } =
        [.. CodeRules.All.Concat(PickleRules.All).Concat(ContainerRules.All).OrderBy(rule => rule.Code, StringComparer.Ordinal)];

    public static RuleDescriptor? Find(string code) =>
        All.FirstOrDefault(rule => string.Equals(rule.Code, code, StringComparison.OrdinalIgnoreCase)
            || string.Equals(rule.Slug, code, StringComparison.OrdinalIgnoreCase));
}
