using PickleGuard.Pickle.Policy;

namespace PickleGuard.Pickle;

/// <summary>Matching a (module, name) pair against the policy.</summary>
public sealed partial class PicklePolicy
{
    /// <summary>
    /// Decides about the global <paramref name="module"/>.<paramref name="name"/> as found in a stream of the given
    /// protocol. The Python 2 name mapping is applied as the unpickler does (protocol &lt; 3) for the resolved name,
    /// and always for the deny check. Deny entries are matched against the full path and against every attribute
    /// chain inside the name (<c>posixpath.os.system</c> reaches <c>os.system</c>); <c>deny-name</c> entries against the
    /// final attribute.
    /// </summary>
    public PolicyDecision Evaluate(string module, string name, int protocol)
    {
        var (mappedModule, mappedName) = CompatNames.Map(module, name);
        var (resolvedModule, resolvedName) = protocol < 3 ? (mappedModule, mappedName) : (module, name);
        var resolved = resolvedModule + "." + resolvedName;

        var deny = MatchDeny(module, name) ?? MatchDeny(mappedModule, mappedName);
        if (deny is not null)
        {
            return new PolicyDecision(GlobalVerdict.Dangerous, resolved, deny.Reason, deny);
        }

        var components = resolved.Split('.');
        var allow = _allow.Match(resolved, components) ?? MatchAllowClass(resolvedName, components, resolved);
        return allow is not null
            ? new PolicyDecision(GlobalVerdict.Allowed, resolved, allow.Reason, allow)
            : new PolicyDecision(GlobalVerdict.Unvetted, resolved, $"'{resolved}' is not on the '{Profile}' allowlist", null);
    }

    private PolicyEntry? MatchDeny(string module, string name)
    {
        var full = module + "." + name;
        var components = full.Split('.');
        var entry = _deny.Match(full, components);
        if (entry is not null)
        {
            return entry;
        }

        // Attribute chains (protocol 4 dotted names) reach whatever a module imported: check every suffix that
        // starts inside the name part, e.g. 'os.system' in module 'posixpath', name 'os.system'.
        int moduleComponents = module.Split('.').Length;
        for (int start = moduleComponents + 1; start < components.Length - 1; start++)
        {
            var suffix = components[start..];
            entry = _deny.Match(string.Join('.', suffix), suffix);
            if (entry is not null)
            {
                return entry;
            }
        }

        return _denyNames.TryGetValue(components[^1], out var byName) ? byName : null;
    }

    private PolicyEntry? MatchAllowClass(string name, string[] components, string resolved)
    {
        // A class name is one CamelCase component directly on a module: no attribute chain, no private or dunder name.
        if (name.Contains('.') || name.Length == 0 || !char.IsUpper(name[0]))
        {
            return null;
        }

        return _allowClass.Match(resolved, components);
    }
}
