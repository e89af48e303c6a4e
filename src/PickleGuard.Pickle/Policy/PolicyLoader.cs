namespace PickleGuard.Pickle.Policy;

/// <summary>
/// Parses policy files: one entry per line, <c>DIRECTIVE  PATTERN  # reason</c>; <c>include PROFILE</c> pulls in
/// another embedded profile; blank lines and lines starting with <c>#</c> are comments. Every entry must give a reason.
/// </summary>
internal sealed class PolicyLoader(PicklePolicy policy)
{
    private readonly HashSet<string> _loaded = new(StringComparer.Ordinal);

    public void LoadEmbedded(string profile)
    {
        if (!_loaded.Add(profile))
        {
            return;
        }

        var text = EmbeddedPolicyFiles.Read(profile + ".policy")
            ?? throw new PicklePolicyException($"unknown policy profile '{profile}'");
        LoadText("policy/" + profile + ".policy", text);
    }

    public void LoadText(string file, string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            ParseLine(file, i + 1, lines[i].TrimEnd('\r').Trim());
        }
    }

    private void ParseLine(string file, int lineNumber, string line)
    {
        if (line.Length == 0 || line[0] == '#')
        {
            return;
        }

        string reason = "";
        int hash = line.IndexOf('#');
        if (hash >= 0)
        {
            reason = line[(hash + 1)..].Trim();
            line = line[..hash].Trim();
        }

        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw Error(file, lineNumber, $"expected 'DIRECTIVE PATTERN  # reason', got '{line}'");
        }

        var (directive, pattern) = (parts[0], parts[1]);
        if (directive == "include")
        {
            LoadEmbedded(pattern);
            return;
        }

        PolicyAction action = directive switch
        {
            "allow" => PolicyAction.Allow,
            "allow-class" => PolicyAction.AllowClass,
            "deny" => PolicyAction.Deny,
            "deny-name" => PolicyAction.DenyName,
            "allow-persistent-id" => PolicyAction.AllowPersistentId,
            "allow-string-persistent-id" => PolicyAction.AllowStringPersistentId,
            "nested-loader" => PolicyAction.NestedLoader,
            "calls-argument" => PolicyAction.CallsArgument,
            _ => throw Error(file, lineNumber, $"unknown directive '{directive}' (expected allow, allow-class, deny, deny-name, allow-persistent-id, allow-string-persistent-id, nested-loader, calls-argument or include)"),
        };

        if (reason.Length == 0)
        {
            throw Error(file, lineNumber, $"'{directive} {pattern}' has no reason (add '# why' at the end of the line)");
        }

        string? problem = action switch
        {
            PolicyAction.DenyName or PolicyAction.AllowPersistentId => pattern.Contains('.') || pattern.Contains('*') ? $"'{pattern}' must be a single name" : null,
            PolicyAction.AllowStringPersistentId => null,
            PolicyAction.AllowClass => pattern.EndsWith(".*", StringComparison.Ordinal) ? NamePattern.Validate(pattern) : $"'{pattern}' must end with '.*'",
            PolicyAction.CallsArgument => pattern.Split(':') is [var name, var index] && int.TryParse(index, out int i) && i >= 0 ? NamePattern.Validate(name) : $"'{pattern}' must be NAME:INDEX",
            _ => NamePattern.Validate(pattern),
        };
        if (problem is not null)
        {
            throw Error(file, lineNumber, problem);
        }

        policy.Add(new PolicyEntry(action, pattern, reason, file, lineNumber));
    }

    private static PicklePolicyException Error(string file, int line, string message) => new($"{file}:{line}: {message}");
}
