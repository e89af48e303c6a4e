using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg109UnsafeIpcReceive
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG109",
        "unsafe-ipc-recv",
        "Pickled message received from a peer",
        Severity.Medium,
        502,
        "Reports `recv()` on `multiprocessing.connection` connections (`Client(...)`, `Listener(...).accept()`; a "
        + "parameter annotated `Connection` and either end of a `Pipe()` the program makes, however it keeps the ends: "
        + "medium, the peer unknown) and "
        + "ZeroMQ `recv_pyobj()`, and torch.distributed's object collectives (`broadcast_object_list`, "
        + "`all_gather_object`, `gather_object`, `scatter_object_list`, `recv_object_list`: medium, since the peers are "
        + "the ranks of a process group), and rpyc's `classic.obtain` (it unpickles what the peer sends for a proxy). A "
        + "multiprocessing connection created with an `authkey` is low.",
        "Both unpickle what the peer sends. Any process or host that can reach the address or socket can send a "
        + "payload that runs code; multiprocessing authenticates peers only when an `authkey` is set.",
        "```python\nconn = Client(('0.0.0.0', 6000))\nmsg = conn.recv()  # PG109\n```",
        "Send bytes and decode them as JSON (`recv_bytes` + `json.loads`, `recv_json`); for multiprocessing pass an "
        + "`authkey` and bind to localhost or a Unix socket.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/multiprocessing.html#multiprocessing-auth-keys",
            "https://pyzmq.readthedocs.io/en/latest/api/zmq.html#zmq.Socket.recv_pyobj",
        ]);
}
