using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg101PickleLoad
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG101",
        "pickle-load",
        "Pickle-family deserialization",
        Severity.Medium,
        502,
        "Reports calls that unpickle data: `pickle`/`cPickle`/`_pickle` `load`, `loads`, `Unpickler(f).load()` (also "
        + "through project subclasses), `dill` `load`/`loads`/`Unpickler`/`load_session`/`load_module`, and "
        + "`cloudpickle` `load`/`loads` (also Ray's, PySpark's, joblib's and srsly's vendored copies), SHAP "
        + "explainers' `load` (`shap.Explainer.load(f)`), and checklist's `TestSuite.from_file(path)` and `load_test` "
        + "(dill). Calls are found through every import and alias form. "
        + "Severity: medium when the input's origin is unknown (a parameter, an attribute, a call result, a file not "
        + "opened by a literal path); low when the program controls it (a literal, its own `dumps` output, a literally named file) or when "
        + "the unpickler restricts `find_class` to an allow-list (a `find_class` method, or a function every instance "
        + "gets as `self.find_class` in `__init__`). A finding on a project subclass names it (`app.SafeUnpickler().load`). "
        + "`dump`/`dumps` are never reported. "
        + "A loader passed as a callable without being called (`map(pickle.loads, items)`, `functools.partial(pickle.loads)`, "
        + "`callback=pickle.loads`) is reported where it is passed: medium, since the data it will later decode is unknown "
        + "there; low when it is passed to a test assertion that expects it to fail (`self.assertRaises(E, pickle.loads, "
        + "b\"\")`, `pytest.raises`). A wrapper that only aliases it (`staticmethod(pickle.loads)`) is not reported: the "
        + "aliased call is; nor is a function that only inspects it (`inspect.signature(torch.load)`, `getattr`, `callable`). The module itself handed to project code (`Stage(pickle)`, `decode(pickle, data)` where "
        + "`decode` calls `codec.loads(data)`) is reported where it is passed, as medium: the callee can call its `loads` "
        + "(not when it is a project function that only writes with it: `dump`, `dumps`, the protocol constants); "
        + "high when the call's other arguments carry data from an untrusted source.",
        "Unpickling calls whatever callable the data names, with arguments the data chooses (`__reduce__`). Anyone who "
        + "can supply or modify the bytes can run code in the process: the Python documentation says never to "
        + "unpickle data that could have come from an untrusted source.",
        "```python\nimport pickle\n\ndef handle(request):\n    return pickle.loads(request.body)  # PG101 medium\n```\n"
        + "A payload as small as `cos\\nsystem\\n(S'id'\\ntR.` runs a shell command.",
        "Use a data-only format (`json`, MessagePack, Protocol Buffers). Where pickle must stay, authenticate the bytes "
        + "before loading (an HMAC over the payload with a server-side key, verified with `hmac.compare_digest`), "
        + "or subclass `pickle.Unpickler` and override `find_class` to return only allow-listed globals, raising "
        + "`UnpicklingError` for everything else (the documentation's \"Restricting Globals\" recipe). There is no "
        + "automatic fix: only you know what the data holds.\n\n"
        + "Data that is plain dicts, lists, strings and numbers — JSON:\n"
        + "```python\nimport json\n\nbody = json.dumps(state).encode()  # instead of pickle.dumps(state)\n"
        + "state = json.loads(body)          # instead of pickle.loads(body)\n```\n"
        + "Pickle that must stay — an HMAC-signed envelope, checked before anything is unpickled:\n"
        + "```python\nimport hashlib, hmac, pickle\n\n"
        + "def seal(obj, key):\n    body = pickle.dumps(obj)\n    return hmac.new(key, body, hashlib.sha256).digest() + body\n\n"
        + "def open_sealed(blob, key):\n    tag, body = blob[:32], blob[32:]\n"
        + "    if not hmac.compare_digest(tag, hmac.new(key, body, hashlib.sha256).digest()):\n"
        + "        raise ValueError(\"bad signature\")\n    return pickle.loads(body)\n```\n"
        + "or a restricted unpickler:\n"
        + "```python\nclass SafeUnpickler(pickle.Unpickler):\n    ALLOWED = {(\"collections\", \"OrderedDict\")}\n\n"
        + "    def find_class(self, module, name):\n        if (module, name) in self.ALLOWED:\n"
        + "            return super().find_class(module, name)\n"
        + "        raise pickle.UnpicklingError(f\"{module}.{name} is not allowed\")\n```",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/pickle.html#restricting-globals",
            "https://docs.python.org/3/library/pickle.html (warning at the top of the page)",
        ]);
}
