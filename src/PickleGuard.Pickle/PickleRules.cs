using PickleGuard.Core;

namespace PickleGuard.Pickle;

/// <summary>The rules of the pickle scanner (codes PG200–PG219) and their documentation.</summary>
public static partial class PickleRules
{
    public const string DangerousGlobal = "PG201";
    public const string UnvettedGlobal = "PG202";
    public const string UnresolvableGlobal = "PG203";
    public const string Malformed = "PG204";
    public const string ResourceLimit = "PG205";
    public const string TrailingData = "PG206";
    public const string ComputedCallable = "PG207";
    public const string PersistentLoad = "PG208";
    public const string GlobalMutation = "PG209";
    public const string NestedPickle = "PG210";
    public const string CallContract = "PG211";

    private const string PickleDocs = "https://docs.python.org/3/library/pickle.html#restricting-globals";
    private const string Pickletools = "https://github.com/python/cpython/blob/main/Lib/pickletools.py";

    public static IReadOnlyList<RuleDescriptor> All { get; } =
    [
        new(DangerousGlobal, "dangerous-global", "Pickle imports or calls a dangerous callable", Severity.High, 502,
            "Reports a global in a pickle stream that is on the deny list: process execution (`os.system`, `subprocess.Popen`), code execution (`builtins.eval`, `exec`, `runpy`, `code`), dynamic lookup (`builtins.getattr`, `importlib`, `pydoc.locate`, `operator.attrgetter`), file and network access, nested deserializers (`pickle.loads`, `torch.load`) and partial application (`functools.partial`). Names are matched after the Python 2 mapping, through every module alias (`posix.system`, `nt.system`) and through attribute chains (`posixpath.os.system`).",
            "Unpickling imports every global the stream names and calls whatever REDUCE, NEWOBJ, OBJ, INST or BUILD point at. A single `os.system` call in a model file runs a command on every machine that loads it. Scanning is the only check before `pickle.load`, `torch.load` or `joblib.load` runs it.",
            "```\n0: \\x80 PROTO 4\n2: \\x8c SHORT_BINUNICODE 'os'\n6: \\x8c SHORT_BINUNICODE 'system'\n14: \\x93 STACK_GLOBAL\n15: \\x8c SHORT_BINUNICODE 'id'\n19: \\x85 TUPLE1\n20: R REDUCE        # os.system('id')\n21: . STOP\n```",
            "Do not load the file. Get the artifact from a trusted source, or in a format that cannot run code: safetensors for tensors, `numpy.save(..., allow_pickle=False)`, JSON. For PyTorch use `torch.load(f, weights_only=True)`.",
            [PickleDocs, "https://github.com/trailofbits/fickling", "https://huggingface.co/docs/hub/security-pickle"]),
        new(UnvettedGlobal, "unvetted-global", "Pickle imports a global that is not on the allowlist", Severity.Medium, 502,
            "Reports a global that is neither on the profile's allowlist nor on the deny list (default-deny). Importing a module runs its top-level code, and calling an unknown class or function can do anything its code does.",
            "Deny lists are an arms race: every picklescan bypass advisory is a callable nobody had listed yet (`timeit.timeit`, `ensurepip._run_pip`, `idlelib` helpers…). An allowlist fails closed: anything not known to be harmless is reported.",
            "```\nc mypackage.models\nCustomModel\n)\\x81.    # NEWOBJ mypackage.models.CustomModel\n```",
            "If the global is your own class and the file comes from you, add it to a policy file (`allow mypackage.models.CustomModel  # reason`) and pass it with `--policy`. Choose the profile that fits the artifact (`--profile numpy|torch|sklearn`).",
            [PickleDocs, "https://github.com/mmaitre314/picklescan/security"]),
        new(UnresolvableGlobal, "unresolvable-global", "Pickle imports a global whose name cannot be known statically", Severity.High, 502,
            "Reports STACK_GLOBAL whose module or name operand is computed at load time (the result of a call) and EXT1/EXT2/EXT4 codes, which name globals through copyreg's extension registry (empty by default). An extension lookup nothing calls is medium: the registry holds only what the loading program put there, so the file can at worst make it import one of those.",
            "Scanners that guess operands by looking back a few opcodes are bypassed by memo tricks, DUP, or strings built by a call. If the name cannot be proven, the pickle can import anything.",
            "```\nc builtins\nstr\n(S'o'\ntR   # str('o') -> computed operand\nS'system'\n\\x93  # STACK_GLOBAL\n```",
            "Treat the file as malicious; benign picklers always write constant names.",
            [Pickletools, "https://github.com/mmaitre314/picklescan/issues/22"]),
        new(Malformed, "malformed-pickle", "Pickle stream cannot be read to its end", Severity.Medium, 20,
            "Reports a stream that breaks: truncated data, an unknown opcode, a stack underflow, a missing MARK or memo entry, a bad argument, a declared length larger than the file. Everything before the break is still scanned and reported.",
            "Loaders execute opcodes as they read them, so a payload placed before a deliberate break still runs, while scanners that stop at the first error have reported such files as clean. A file that cannot be fully read is never clean.",
            "```\n...R    # os.system('id') runs here\n\\xff    # then an invalid opcode makes the scanner give up\n```",
            "Re-create the file from its source; do not load a damaged artifact from an untrusted origin.",
            [Pickletools]),
        new(ResourceLimit, "resource-limit", "Pickle exceeds a scanner limit", Severity.Medium, 400,
            "Reports a stream that exceeds a hard limit: opcode count, stack depth, nesting (MARKs), memo size, line length, total size, number of consecutive pickles, nesting of pickles in pickles.",
            "Resource-exhaustion payloads (huge declared lengths, millions of MARKs, giant memo indexes) crash or stall loaders and scanners; a scan that stopped early cannot say the rest is clean.",
            "```\n\\x80\\x04\\x8d\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x7f   # BINUNICODE8 declaring 9 EB\n```",
            "Raise the limit (`PickleLimits`) only for files from a trusted source.",
            [Pickletools]),
        new(TrailingData, "trailing-data", "Data after the pickle is not a pickle", Severity.Medium, 20,
            "Reports bytes after the last STOP opcode that do not form a valid pickle.",
            "Files such as legacy PyTorch checkpoints hold several pickles one after the other, and a loader may read them all; bytes hidden after a pickle are a place to smuggle a second payload past scanners that stop at the first STOP.",
            "```\n\\x80\\x04K\\x01.    # a harmless pickle\n<garbage or a second, broken pickle>\n```",
            "Strip the trailing data, or inspect it with `pickleguard inspect`.",
            [Pickletools]),
        new(ComputedCallable, "computed-callable", "Pickle calls a value that was computed at load time", Severity.High, 502,
            "Reports REDUCE/NEWOBJ/OBJ whose callable is the result of an earlier call, e.g. `getattr(module, 'system')('id')` or `pydoc.locate('os.system')(...)`.",
            "Indirection through call results hides the real callable from name-based checks.",
            "```\nc builtins\ngetattr\n(c os\nS'system'\ntR(S'id'\ntR   # getattr(os, 'system')('id')\n```",
            "Treat the file as malicious.",
            [PickleDocs]),
        new(PersistentLoad, "persistent-load", "Pickle asks the loader to resolve a persistent id", Severity.Medium, 502,
            "Reports PERSID/BINPERSID whose id is not expected by the profile. The torch profile expects `('storage', …)` tuples, which torch.load resolves to tensor storages.",
            "A persistent id is handed to the loading program's `persistent_load`, whose behaviour this scan cannot see; plain `pickle.load` rejects it, custom loaders may do anything with it.",
            "```\n(S'storage'\n...tQ   # BINPERSID\n```",
            "Use the profile that matches the artifact (`--profile torch` for torch.save files).",
            [PickleDocs]),
        new(GlobalMutation, "global-mutation", "Pickle modifies a module-level object", Severity.High, 502,
            "Reports BUILD, APPEND, SETITEM(S) or ADDITEMS applied directly to an imported global (a class, function or module-level object) instead of an instance.",
            "Setting attributes on a class or appending to a module-level list changes the loading program's behaviour after the load (e.g. replacing a method, extending `sys.path`).",
            "```\nc mymod\nRegistry\n}(S'__reduce__'\n...tb    # BUILD on the class itself\n```",
            "Treat the file as malicious.",
            [Pickletools]),
        new(NestedPickle, "nested-pickle", "Pickle unpickles another pickle hidden in a bytes constant", Severity.High, 502,
            "Reports a nested deserializer (`pickle.loads`, `_pickle.loads`, `torch.storage._load_from_bytes`…) called on a bytes constant, scans that constant as a pickle and lists what it imports.",
            "Scanners that only look at the outer stream miss the inner payload.",
            "```\nc pickle\nloads\n(C\\x1a\\x80\\x04...  # inner pickle calling os.system\ntR\n```",
            "Treat the file as malicious.",
            [PickleDocs]),
        new(CallContract, "call-contract", "Allowlisted callable used outside its safe contract", Severity.Medium, 502,
            "Reports an allowlisted callable called with arguments that make it unsafe, e.g. `copyreg._reconstructor` with a computed class or a base type that is not a plain builtin type.",
            "Allowlisted helpers are safe only for the arguments benign picklers write; `_reconstructor(cls, base, state)` runs `base.__new__` and `base.__init__`.",
            "```\nccopyreg\n_reconstructor\n(cmymod\nEvil\ncmymod\nBase\nNtR\n```",
            "Treat the file as suspicious and inspect it with `pickleguard inspect`.",
            [PickleDocs]),
    ];
}
