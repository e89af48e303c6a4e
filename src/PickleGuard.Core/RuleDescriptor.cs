namespace PickleGuard.Core;

/// <summary>
/// Everything users read about a rule. The same text feeds <c>pickleguard rule CODE</c>, SARIF help
/// and <c>docs/rules/</c>. Sections are Markdown.
/// </summary>
public sealed record RuleDescriptor(
    string Code,
    string Slug,
    string Title,
    Severity DefaultSeverity,
    int Cwe,
    string WhatItDoes,
    string WhyItMatters,
    string Example,
    string UseInstead,
    IReadOnlyList<string> References);
