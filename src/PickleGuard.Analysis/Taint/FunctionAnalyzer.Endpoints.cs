using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Sockets that only talk to this host (<see cref="SourceModel.EndpointMethods"/>): <c>s.bind("ipc:///tmp/engine")</c>
/// or <c>s.connect(f"tcp://127.0.0.1:{port}")</c> in the function that reads <c>s.recv_pyobj()</c> make what it
/// receives a local process's, not the network's.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Addresses of this host (a port follows a host name: `tcp://localhost.example.org` is not one).</summary>
    private static readonly string[] LocalEndpointPrefixes = ["ipc://", "inproc://", "tcp://127.", "tcp://localhost:", "tcp://[::1]:"];

    /// <summary>The kind of the source <paramref name="call"/> reads: local for a socket that only talks to this host.</summary>
    private string ReceivedKind(SourceModel model, CallExpr call) =>
        LocalEndpointsOnly(model, call.Func as AttributeExpr) ? "local" : model.Kind;

    /// <summary>
    /// Whether the receiver of <paramref name="method"/>, a local name, is given addresses by the model's endpoint methods
    /// in this function, every one of them a literal (or an f-string whose literal start) naming this host.
    /// </summary>
    private bool LocalEndpointsOnly(SourceModel model, AttributeExpr? method)
    {
        if (model.EndpointMethods.Count == 0 || method?.Value is not NameExpr { Id: var socket })
        {
            return false;
        }
        // The calls the binder collected in this unit's own scope (nested functions and lambdas have theirs).
        var addresses = new List<Expr>();
        foreach (var site in _module.Calls)
        {
            if (site.Scope == _unit.Scope
                && site.Call is { Func: AttributeExpr { Value: NameExpr { Id: var owner }, Attr: var name }, Args: [var address, ..] }
                && owner == socket && model.EndpointMethods.Contains(name))
            {
                addresses.Add(address);
            }
        }
        return addresses.Count > 0 && addresses.All(IsLocalAddress);
    }

    private static bool IsLocalAddress(Expr address) => address switch
    {
        ConstantExpr { Value.AsString: { } text } => LocalEndpointPrefixes.Any(prefix => text.StartsWith(prefix, StringComparison.Ordinal)),
        JoinedStrExpr { Values: [ConstantExpr { Value.AsString: { } start }, ..] } =>
            LocalEndpointPrefixes.Any(prefix => start.StartsWith(prefix, StringComparison.Ordinal)),
        _ => false,
    };
}
