namespace PickleGuard.Pickle.Tests;

/// <summary>The policy data files and the policy format.</summary>
public sealed class PolicyTests
{
    [Theory]
    [InlineData("npy", "plain", "numpy.core.multiarray", "_reconstruct", GlobalVerdict.Allowed)]
    [InlineData("npy", "plain", "numpy._core.multiarray", "_reconstruct", GlobalVerdict.Allowed)]
    [InlineData("npy", "plain", "numpy", "ndarray", GlobalVerdict.Allowed)]
    [InlineData("npy", "plain", "numpy", "dtype", GlobalVerdict.Allowed)]
    [InlineData("npy", "plain", "numpy.core.multiarray", "scalar", GlobalVerdict.Allowed)]
    [InlineData("npy", "plain", "numpy._core.multiarray", "scalar", GlobalVerdict.Allowed)]
    [InlineData("npy", "plain", "numpy.random._pickle", "__randomstate_ctor", GlobalVerdict.Unvetted)] // the numpy profile's, not an array's
    [InlineData("npy", "plain", "numpy", "load", GlobalVerdict.Dangerous)]
    [InlineData("npy", "plain", "os", "system", GlobalVerdict.Dangerous)]
    [InlineData("npy", "torch", "torch._utils", "_rebuild_tensor_v2", GlobalVerdict.Allowed)]
    [InlineData("torch", "plain", "torch._utils", "_rebuild_tensor_v2", GlobalVerdict.Allowed)]
    [InlineData("torch", "plain", "torch", "FloatStorage", GlobalVerdict.Allowed)]
    [InlineData("torch", "plain", "torch", "float8_e4m3fn", GlobalVerdict.Allowed)]
    [InlineData("torch", "plain", "torch", "per_channel_affine_float_qparams", GlobalVerdict.Allowed)]
    [InlineData("torch", "plain", "torch._utils", "_rebuild_xla_tensor", GlobalVerdict.Unvetted)] // the torch profile's, not weights_only's
    [InlineData("torch", "plain", "torch.nn.modules.linear", "Linear", GlobalVerdict.Unvetted)]
    [InlineData("torch", "plain", "torch.sparse", "FloatTensor", GlobalVerdict.Unvetted)]
    [InlineData("torch", "plain", "torch.cuda", "FloatStorage", GlobalVerdict.Dangerous)]
    [InlineData("torch", "plain", "torch", "load", GlobalVerdict.Dangerous)]
    [InlineData("torch", "sklearn", "sklearn.linear_model", "LogisticRegression", GlobalVerdict.Allowed)]
    public void A_payload_policy_adds_its_loaders_globals_to_the_profile(string payload, string profile, string module, string name, GlobalVerdict expected)
    {
        var policy = Scan.Policy(profile);
        var added = payload == "npy" ? policy.NpyPayload : policy.TorchPayload;
        Assert.Equal(expected, added.Evaluate(module, name, 3).Verdict);
        Assert.Same(added, payload == "npy" ? policy.NpyPayload : policy.TorchPayload);
        Assert.Equal(profile, added.Profile);
        Assert.Equal(payload == "torch", added.IsAllowedPersistentId("storage", out _) && !policy.IsAllowedPersistentId("storage", out _));
    }

    [Fact]
    public void No_payload_allow_entry_is_shadowed_by_a_deny_entry()
    {
        // Load() checks the profiles; the payload files are added later, so their entries are checked here.
        var plain = Scan.Policy("plain");
        foreach (var payload in (PicklePolicy[])[plain.NpyPayload, plain.TorchPayload])
        {
            foreach (var entry in payload.Entries.Where(e => e.Action == PolicyAction.Allow && e.File.Contains("-payload")))
            {
                var dot = entry.Pattern.LastIndexOf('.');
                Assert.Equal((entry.Pattern, GlobalVerdict.Allowed), (entry.Pattern, payload.Evaluate(entry.Pattern[..dot], entry.Pattern[(dot + 1)..], 4).Verdict));
            }
        }
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("numpy")]
    [InlineData("torch")]
    [InlineData("sklearn")]
    [InlineData("pandas")]
    public void Every_profile_loads_and_every_entry_has_a_reason(string profile)
    {
        var policy = PicklePolicy.Load(profile);
        Assert.True(policy.Entries.Count > 100);
        Assert.All(policy.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    [Theory]
    [InlineData("os", "system", 4, GlobalVerdict.Dangerous)]
    [InlineData("posix", "system", 4, GlobalVerdict.Dangerous)]
    [InlineData("nt", "system", 4, GlobalVerdict.Dangerous)]
    [InlineData("posixpath", "os.system", 4, GlobalVerdict.Dangerous)]
    [InlineData("__builtin__", "eval", 2, GlobalVerdict.Dangerous)]
    [InlineData("__builtin__", "eval", 4, GlobalVerdict.Dangerous)]
    [InlineData("__builtin__", "set", 2, GlobalVerdict.Allowed)]
    [InlineData("copy_reg", "_reconstructor", 0, GlobalVerdict.Allowed)]
    [InlineData("__builtin__", "reduce", 2, GlobalVerdict.Dangerous)]
    [InlineData("collections", "OrderedDict", 4, GlobalVerdict.Allowed)]
    [InlineData("collections", "OrderedDict.fromkeys", 4, GlobalVerdict.Unvetted)]
    [InlineData("somelib", "eval", 4, GlobalVerdict.Dangerous)]
    [InlineData("mypkg.models", "Net", 4, GlobalVerdict.Unvetted)]
    [InlineData("numpy.core.multiarray", "_reconstruct", 2, GlobalVerdict.Unvetted)]
    [InlineData("imp", "load_source", 4, GlobalVerdict.Dangerous)] // executes a file (Python 3.11 and older)
    [InlineData("sqlite3", "connect", 4, GlobalVerdict.Dangerous)] // creates files; load_extension loads native code
    [InlineData("_sqlite3", "connect", 4, GlobalVerdict.Dangerous)]
    public void Plain_profile_verdicts(string module, string name, int protocol, GlobalVerdict expected) =>
        Assert.Equal(expected, Scan.Policy("plain").Evaluate(module, name, protocol).Verdict);

    [Theory]
    [InlineData("torch", "torch._utils", "_rebuild_tensor_v2", GlobalVerdict.Allowed)]
    [InlineData("torch", "torch", "FloatStorage", GlobalVerdict.Allowed)]
    [InlineData("torch", "torch", "bfloat16", GlobalVerdict.Allowed)]
    [InlineData("torch", "torch", "FloatTensor", GlobalVerdict.Allowed)]
    [InlineData("torch", "torch", "LongTensor", GlobalVerdict.Allowed)]
    [InlineData("torch", "torch", "FloatTensor.__new__", GlobalVerdict.Unvetted)]
    [InlineData("plain", "torch", "FloatTensor", GlobalVerdict.Unvetted)]
    [InlineData("torch", "torch.nn.modules.linear", "Linear", GlobalVerdict.Allowed)]
    [InlineData("torch", "torch.serialization", "load", GlobalVerdict.Dangerous)]
    [InlineData("torch", "torch.serialization", "_get_layout", GlobalVerdict.Allowed)]
    [InlineData("torch", "numpy.core.multiarray", "_reconstruct", GlobalVerdict.Allowed)]
    [InlineData("sklearn", "sklearn.ensemble._forest", "RandomForestClassifier", GlobalVerdict.Allowed)]
    [InlineData("sklearn", "sklearn.utils", "check_array", GlobalVerdict.Unvetted)]
    [InlineData("sklearn", "sklearn.datasets", "Bunch", GlobalVerdict.Dangerous)]
    [InlineData("sklearn", "sklearn.pipeline", "Pipeline.__init__", GlobalVerdict.Unvetted)]
    [InlineData("sklearn", "joblib.numpy_pickle", "NumpyArrayWrapper", GlobalVerdict.Allowed)]
    [InlineData("numpy", "numpy.testing._private.utils", "runstring", GlobalVerdict.Dangerous)]
    [InlineData("pandas", "pandas.core.frame", "DataFrame", GlobalVerdict.Allowed)]
    [InlineData("pandas", "pandas.core.indexes.base", "_new_Index", GlobalVerdict.Allowed)]
    [InlineData("pandas", "numpy._core.numeric", "_frombuffer", GlobalVerdict.Allowed)]
    [InlineData("pandas", "pandas._libs.tslibs.offsets", "CustomBusinessDay", GlobalVerdict.Unvetted)] // calls its calendar argument
    [InlineData("pandas", "pandas.io.parsers.readers", "read_csv", GlobalVerdict.Unvetted)]
    [InlineData("pandas", "pandas", "eval", GlobalVerdict.Dangerous)]
    [InlineData("pandas", "pandas.core.computation.eval", "eval", GlobalVerdict.Dangerous)]
    [InlineData("sklearn", "pandas.core.frame", "DataFrame", GlobalVerdict.Unvetted)]
    public void Profile_verdicts(string profile, string module, string name, GlobalVerdict expected) =>
        Assert.Equal(expected, Scan.Policy(profile).Evaluate(module, name, 4).Verdict);

    [Theory]
    [InlineData("torch", "t0", false)]
    [InlineData("torch", "0", false)]
    [InlineData("plain", "t0", true)]
    [InlineData("numpy", "0", true)]
    public void Bare_string_persistent_ids_are_vetted_only_by_the_torch_profile(string profile, string id, bool flagged)
    {
        // BINPERSID with a bare string id, as torch's legacy tar 'pickle' record writes it.
        var data = Asm.Seq(Asm.Proto(2), Asm.Sbu(id), [(byte)'Q'], Asm.Stop);
        Assert.Equal(flagged, Scan.Bytes(data, profile).Rules().Contains("PG208"));
    }

    [Fact]
    public void Torch_profile_still_flags_persistent_ids_that_are_neither_storage_tuples_nor_strings()
    {
        var data = Asm.Seq(Asm.Proto(2), Asm.BinInt1(7), [(byte)'Q'], Asm.Stop);
        Assert.Contains("PG208", Scan.Bytes(data, "torch").Rules());
    }

    [Fact]
    public void Custom_policy_file_allows_a_class()
    {
        var policy = PicklePolicy.LoadFromText("plain", "mine.policy", "allow mypkg.models.Net   # our own model class\n");
        Assert.Equal(GlobalVerdict.Allowed, policy.Evaluate("mypkg.models", "Net", 4).Verdict);
        Assert.Equal("our own model class", policy.Evaluate("mypkg.models", "Net", 4).Reason);
    }

    [Fact]
    public void Custom_policy_file_from_disk_is_loaded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pg-{Guid.NewGuid():N}.policy");
        File.WriteAllText(path, "# mine\ndeny collections.OrderedDict  # testing deny in a user file\n");
        try
        {
            Assert.Equal(GlobalVerdict.Dangerous, PicklePolicy.Load("plain", [path]).Evaluate("collections", "OrderedDict", 4).Verdict);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("allow a.b", "mine.policy:2: 'allow a.b' has no reason")]
    [InlineData("permit a.b  # why", "mine.policy:2: unknown directive 'permit'")]
    [InlineData("allow a..b  # why", "mine.policy:2: empty component")]
    [InlineData("allow os.system  # really", "mine.policy:2: 'allow os.system' is shadowed by 'deny os.*'")]
    [InlineData("allow-class sklearn  # why", "mine.policy:2: 'sklearn' must end with '.*'")]
    [InlineData("include nosuch", "unknown policy profile 'nosuch'")]
    public void Bad_policy_lines_are_clear_errors_with_file_and_line(string line, string expected)
    {
        var error = Assert.Throws<PicklePolicyException>(() => PicklePolicy.LoadFromText("plain", "mine.policy", "# header\n" + line + "\n"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_profile_is_an_error() =>
        Assert.Throws<PicklePolicyException>(() => PicklePolicy.Load("tensorflow"));

    [Fact]
    public void Compat_mapping_covers_the_python2_names() =>
        Assert.Equal(("functools", "reduce"), Policy.CompatNames.Map("__builtin__", "reduce"));
}
