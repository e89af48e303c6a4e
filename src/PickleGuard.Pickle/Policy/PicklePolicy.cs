using PickleGuard.Pickle.Policy;

namespace PickleGuard.Pickle;

/// <summary>
/// Default-deny policy for pickle globals, loaded from data files (see docs/pickle-scanner.md for the format).
/// A global on a deny entry is dangerous (deny always wins), one on the profile's allowlist is allowed, anything
/// else is unvetted. Immutable and thread-safe once loaded.
/// </summary>
public sealed partial class PicklePolicy
{
    /// <summary>The built-in allowlist profiles: numpy includes plain; torch, sklearn and pandas include numpy.</summary>
    public static IReadOnlyList<string> Profiles { get; } = ["plain", "numpy", "torch", "sklearn", "pandas"];

    private readonly PatternSet _allow = new();
    private readonly PatternSet _allowClass = new();
    private readonly PatternSet _deny = new();
    private readonly Dictionary<string, PolicyEntry> _denyNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyEntry> _persistentIds = new(StringComparer.Ordinal);
    private readonly List<PolicyEntry> _stringPersistentIds = [];
    private readonly HashSet<string> _nestedLoaders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Index, PolicyEntry Entry)>> _callsArgument = new(StringComparer.Ordinal);
    private readonly List<PolicyEntry> _entries = [];
    private PicklePolicy? _npyPayload;
    private PicklePolicy? _torchPayload;

    private PicklePolicy(string profile) => Profile = profile;

    public string Profile { get; }

    /// <summary>Every entry in load order.</summary>
    public IReadOnlyList<PolicyEntry> Entries => _entries;

    /// <summary>
    /// Loads the always-on deny list, the named profile (<c>plain</c>, <c>numpy</c>, <c>torch</c>, <c>sklearn</c>, <c>pandas</c>) and any
    /// extra policy files from disk. Throws <see cref="PicklePolicyException"/> with file and line on a bad entry.
    /// </summary>
    public static PicklePolicy Load(string profile, IEnumerable<string>? extraPolicyFiles = null)
    {
        var normalized = profile.Trim().ToLowerInvariant();
        if (!Profiles.Contains(normalized))
        {
            throw new PicklePolicyException($"unknown pickle policy profile '{profile}' (expected one of: {string.Join(", ", Profiles)})");
        }

        var policy = new PicklePolicy(normalized);
        var loader = new PolicyLoader(policy);
        loader.LoadEmbedded("deny");
        loader.LoadEmbedded(normalized);
        policy.CheckAllowEntriesAreNotDenied(file: null);
        foreach (var path in extraPolicyFiles ?? [])
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PicklePolicyException($"{path}: cannot read policy file: {e.Message}");
            }

            loader.LoadText(path, text);
            policy.CheckAllowEntriesAreNotDenied(path);
        }

        return policy;
    }

    /// <summary>Loads a policy from in-memory text on top of the deny list and a profile (for tests and embedding).</summary>
    public static PicklePolicy LoadFromText(string profile, string fileName, string text)
    {
        var policy = Load(profile);
        new PolicyLoader(policy).LoadText(fileName, text);
        policy.CheckAllowEntriesAreNotDenied(fileName);
        return policy;
    }

    /// <summary>
    /// This policy plus numpy's array reconstruction globals (<c>policy/npy-payload.policy</c>), for the pickle inside a
    /// <c>.npy</c>: only <c>np.load</c> reads one, and every object array <c>np.save</c> writes names them, so under
    /// <c>plain</c> a harmless array was three unvetted globals. Deny entries, the user's too, still win.
    /// </summary>
    public PicklePolicy NpyPayload => LazyInitializer.EnsureInitialized(ref _npyPayload, () => WithEmbedded("npy-payload"));

    /// <summary>
    /// This policy plus what <c>torch.load(weights_only=True)</c> accepts (<c>policy/torch-payload.policy</c>), for the
    /// pickles of a file identified as a torch checkpoint (a zip's <c>data.pkl</c>, the legacy magic-number format): under
    /// <c>plain</c> every tensor was unvetted globals and an unexpected persistent id. Deny entries, the user's too, still win.
    /// </summary>
    public PicklePolicy TorchPayload => LazyInitializer.EnsureInitialized(ref _torchPayload, () => WithEmbedded("torch-payload"));

    private PicklePolicy WithEmbedded(string name)
    {
        var policy = new PicklePolicy(Profile);
        foreach (var entry in _entries)
        {
            policy.Add(entry);
        }

        new PolicyLoader(policy).LoadEmbedded(name);
        return policy;
    }

    /// <summary>True when a persistent id tuple starting with <paramref name="tag"/> is expected under this profile.</summary>
    public bool IsAllowedPersistentId(string tag, out PolicyEntry? entry) => _persistentIds.TryGetValue(tag, out entry);

    /// <summary>True when a persistent id that is the bare string <paramref name="id"/> is expected under this profile.</summary>
    public bool IsAllowedStringPersistentId(string id) =>
        _stringPersistentIds.Exists(e => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(e.Pattern, id, ignoreCase: false));

    /// <summary>True when <paramref name="resolvedName"/> deserializes its first argument (a nested pickle to scan).</summary>
    public bool IsNestedLoader(string resolvedName) => _nestedLoaders.Contains(resolvedName);

    /// <summary>The argument positions that <paramref name="resolvedName"/> calls or instantiates (empty for most callables).</summary>
    public IReadOnlyList<(int Index, PolicyEntry Entry)> CalledArguments(string resolvedName) =>
        _callsArgument.TryGetValue(resolvedName, out var list) ? list : Array.Empty<(int, PolicyEntry)>(); // not `[]`: a new List per miss

    internal void Add(PolicyEntry entry)
    {
        _entries.Add(entry);
        switch (entry.Action)
        {
            case PolicyAction.Allow:
                _allow.Add(new NamePattern(entry.Pattern), entry);
                break;
            case PolicyAction.AllowClass:
                _allowClass.Add(new NamePattern(entry.Pattern), entry);
                break;
            case PolicyAction.Deny:
                _deny.Add(new NamePattern(entry.Pattern), entry);
                break;
            case PolicyAction.DenyName:
                _denyNames.TryAdd(entry.Pattern, entry);
                break;
            case PolicyAction.AllowPersistentId:
                _persistentIds.TryAdd(entry.Pattern, entry);
                break;
            case PolicyAction.AllowStringPersistentId:
                _stringPersistentIds.Add(entry);
                break;
            case PolicyAction.NestedLoader:
                _nestedLoaders.Add(entry.Pattern);
                break;
            case PolicyAction.CallsArgument:
                var parts = entry.Pattern.Split(':');
                if (!_callsArgument.TryGetValue(parts[0], out var positions))
                {
                    _callsArgument[parts[0]] = positions = [];
                }

                positions.Add((int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), entry));
                break;
        }
    }

    /// <summary>
    /// An allow entry that a deny entry shadows is a mistake in the file that wrote it. Checked for the built-in files
    /// (<paramref name="file"/> null) and then per user file, so that a user file may deny what a profile allows.
    /// </summary>
    private void CheckAllowEntriesAreNotDenied(string? file)
    {
        var candidates = _entries.Where(e => e.Action == PolicyAction.Allow && !e.Pattern.Contains('*')
            && (file is null ? e.File.StartsWith("policy/", StringComparison.Ordinal) : e.File == file));
        foreach (var entry in candidates)
        {
            var dot = entry.Pattern.LastIndexOf('.');
            if (dot <= 0)
            {
                continue;
            }

            var decision = Evaluate(entry.Pattern[..dot], entry.Pattern[(dot + 1)..], protocol: 4);
            if (decision.Verdict == GlobalVerdict.Dangerous)
            {
                throw new PicklePolicyException(
                    $"{entry.Source}: 'allow {entry.Pattern}' is shadowed by '{decision.Entry?.Action.ToString().ToLowerInvariant()} {decision.Entry?.Pattern}' at {decision.Entry?.Source} (deny always wins)");
            }
        }
    }
}
