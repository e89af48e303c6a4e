using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
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
        LocalEndpointsOnly(model, call.Func as AttributeExpr) || MadeForLocalFamily(model, call) ? "local" : model.Kind;

    /// <summary>
    /// Whether the receiver of <paramref name="call"/>, a local name, is only ever made by a constructor given one of
    /// the model's local address families (<c>server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)</c>, then
    /// <c>server.accept()</c>): a Unix-domain socket's peer is a process of this host.
    /// </summary>
    private bool MadeForLocalFamily(SourceModel model, CallExpr call)
    {
        if (model.LocalFamilies.Count == 0 || call.Func is not AttributeExpr { Value: NameExpr receiver } || _module.CallSiteOf(call) is not { } site)
        {
            return false;
        }
        var bindings = _program.Resolver.ReachingBindings(receiver.Id, EvalContext.At(site));
        foreach (var binding in bindings)
        {
            var context = EvalContext.Of(binding);
            if (binding is not { Kind: BindingKind.Assignment, Value: CallExpr made }
                || !_program.Resolver.Resolve(made.Func, context).Any(value => value is ApiValue { Path: var constructor } && MakesReceiverOf(model, constructor))
                || (made.Keywords.FirstOrDefault(k => k.Arg == "family")?.Value ?? (made.Args.Count > 0 ? made.Args[0] : null)) is not { } family
                || !_program.Resolver.Resolve(family, context).Any(value => value is ApiValue { Path: var path } && model.LocalFamilies.Contains(path)))
            {
                return false;
            }
        }
        return bindings.Count > 0;
    }

    /// <summary>Whether <paramref name="constructor"/> makes the objects the model reads from (<c>socket.socket</c> for <c>socket.socket().recv</c>).</summary>
    private static bool MakesReceiverOf(SourceModel model, string constructor) =>
        model.Names.Any(name => name.Length > constructor.Length + 3 && name.StartsWith(constructor, StringComparison.Ordinal)
            && name.AsSpan(constructor.Length).StartsWith("().", StringComparison.Ordinal));

    /// <summary>
    /// Whether the receiver of <paramref name="method"/> is given addresses by the model's endpoint methods, every one of
    /// them a literal (or an f-string whose literal start) naming this host: a local name in this function, or an
    /// attribute of <c>self</c> in any method of the class (<c>self.sock.bind("tcp://127.0.0.1:...")</c> in
    /// <c>__init__</c>, read in a loop method: LightLLM's and SGLang's engine sockets).
    /// </summary>
    private bool LocalEndpointsOnly(SourceModel model, AttributeExpr? method)
    {
        if (model.EndpointMethods.Count == 0)
        {
            return false;
        }
        var addresses = new List<Expr>();
        switch (method?.Value)
        {
            case NameExpr { Id: var socket }:
                addresses.AddRange(ScopeEndpoints(model, _module, _unit.Scope, socket));
                foreach (var binding in _unit.Scope.BindingsOf(socket))
                {
                    if (binding is { Kind: BindingKind.Assignment or BindingKind.Unpacked, Value: CallExpr made })
                    {
                        AddHelperAddresses(model, made, binding.Kind == BindingKind.Unpacked ? binding.Element : -1, _module, addresses);
                    }
                    else if (binding is { Kind: BindingKind.WithTarget, Value: CallExpr entered } && EndpointAddress(model, entered, null) is { } address)
                    {
                        // `with sock.bind(addr) as s`: s is sock, given addr and whatever else sock is given here.
                        addresses.Add(address);
                        if (entered.Func is AttributeExpr { Value: NameExpr { Id: var entering } })
                        {
                            addresses.AddRange(ScopeEndpoints(model, _module, _unit.Scope, entering));
                        }
                    }
                }
                break;
            case AttributeExpr { Value: NameExpr { Id: var self }, Attr: var attribute } when _unit.Function?.Owner is { } owner
                && ReceiverOf(_unit.Scope, owner) == self && OnlyMadeInPlace(owner, attribute):
                foreach (var site in _module.Calls)
                {
                    if (ReceiverOf(site.Scope, owner) is { } receiver && site.Call.Func is AttributeExpr { Value: AttributeExpr { Value: NameExpr named } stored }
                        && named.Id == receiver && stored.Attr == attribute && EndpointAddress(model, site.Call, null) is { } address)
                    {
                        addresses.Add(address);
                    }
                }
                foreach (var store in owner.InstanceAttributes[attribute])
                {
                    AddHelperAddresses(model, (CallExpr)store.Value!, -1, store.Scope.Module, addresses);
                }
                break;
        }
        return addresses.Count > 0 && addresses.All(IsLocalAddress);
    }

    /// <summary>
    /// The addresses a socket made by <paramref name="made"/>, a call of one project helper, was given in the helper
    /// (vLLM's <c>make_zmq_socket(ctx, path, socket_type)</c>, which binds or connects the socket it returns to
    /// <c>path</c>): an address that is a parameter of the helper is what this call passes for it, or its default. A
    /// parameter given nothing, or maybe given through <c>*args</c> or <c>**kwargs</c>, stays a name, which is no
    /// local address. <paramref name="element"/> is the item of a returned tuple the socket was unpacked from, or -1.
    /// </summary>
    private void AddHelperAddresses(SourceModel model, CallExpr made, int element, ModuleModel module, List<Expr> addresses)
    {
        if (_program.Index.CallOf(module, made) is not { Functions: [var (helper, bound)], BoundPositionals: 0 })
        {
            return;
        }
        if (!_program.HelperEndpoints.TryGetValue((helper, model, element), out var endpoints))
        {
            _program.HelperEndpoints[(helper, model, element)] = endpoints = EndpointsOfReturnedSocket(model, helper, element);
        }
        var packed = made.Args.Any(a => a is StarredExpr) || made.Keywords.Any(k => k.Arg is null);
        foreach (var address in endpoints)
        {
            addresses.Add(address is NameExpr { Id: var name } && helper.Scope.BindingsOf(name) is [{ Kind: BindingKind.Parameter, Default: var fallback }]
                ? ArgumentFor(helper, made, helper.IndexOfParameter(name), bound ? 1 : 0) ?? (packed ? address : fallback ?? address)
                : address);
        }
    }

    /// <summary>
    /// The addresses <paramref name="helper"/> gives the socket it returns (as item <paramref name="element"/> of a
    /// returned tuple, or whole for -1; see <see cref="ValueResolver.ReturnedAt"/>) through the model's endpoint methods:
    /// every such return names one local (<c>return socket</c>), and the calls on it in the helper's own scope
    /// (<c>socket.bind(path)</c>) give them. None when it returns anything else.
    /// </summary>
    private static Expr[] EndpointsOfReturnedSocket(SourceModel model, TaintUnit helper, int element)
    {
        if (helper.Function is null || helper.LambdaBody is not null)
        {
            return [];
        }
        string? socket = null;
        foreach (var statement in ReturnCollector.Of(helper.Body))
        {
            if (!ValueResolver.ReturnedAt(statement.Value, element, out var items))
            {
                return [];
            }
            foreach (var item in items)
            {
                if (item is not NameExpr { Id: var name } || socket is not null && socket != name)
                {
                    return [];
                }
                socket = name;
            }
        }
        if (socket is null)
        {
            return [];
        }
        return [.. ScopeEndpoints(model, helper.Module, helper.Scope, socket)];
    }

    /// <summary>
    /// The addresses the calls of <paramref name="scope"/>'s own code (nested functions and lambdas have theirs) give the
    /// local <paramref name="socket"/> through the model's endpoint methods (<c>socket.bind(path)</c>).
    /// </summary>
    private static IEnumerable<Expr> ScopeEndpoints(SourceModel model, ModuleModel module, Scope scope, string socket)
    {
        foreach (var site in module.Calls)
        {
            if (site.Scope == scope && EndpointAddress(model, site.Call, socket) is { } address)
            {
                yield return address;
            }
        }
    }

    /// <summary>The address <paramref name="call"/> gives through an endpoint method (<c>owner.bind(address)</c>; any receiver when <paramref name="owner"/> is null).</summary>
    private static Expr? EndpointAddress(SourceModel model, CallExpr call, string? owner) =>
        call is { Func: AttributeExpr { Value: var receiver, Attr: var name }, Args: [var address, ..] }
        && (owner is null || receiver is NameExpr { Id: var id } && id == owner) && model.EndpointMethods.Contains(name)
            ? address
            : null;

    /// <summary>The name of the receiver of a method of <paramref name="owner"/> running in <paramref name="scope"/>, or null.</summary>
    private string? ReceiverOf(Scope scope, ClassInfo owner) =>
        scope.Module.Functions.TryGetValue(scope.Node, out var function) && function.Owner == owner
        && _program.Index.UnitOf(function) is { } unit && unit.TakesReceiver && !unit.IsClassMethod
            ? unit.Parameters[0].ArgValue
            : null;

    /// <summary>
    /// Whether the class's methods store <c>self.attribute</c> only as a call made in place (<c>self.sock =
    /// context.socket(zmq.PULL)</c>), and nothing else does: no store on another object (<c>router.sock = s</c>), none
    /// in a subclass. Then no socket configured elsewhere is handed in.
    /// </summary>
    private bool OnlyMadeInPlace(ClassInfo owner, string attribute)
    {
        if (!owner.InstanceAttributes.TryGetValue(attribute, out var stores) || stores.Any(store => store is not { Kind: BindingKind.Assignment, Value: CallExpr })
            || _program.Resolver.Project.AttributeStoresOf(attribute).Count > 0)
        {
            return false;
        }
        foreach (var module in _program.Resolver.Project.Modules)
        {
            foreach (var cls in module.Classes.Values)
            {
                if (cls != owner && cls.InstanceAttributes.ContainsKey(attribute) && Array.IndexOf(_program.ClassAndBases(cls), owner) > 0)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static bool IsLocalAddress(Expr address) => address switch
    {
        ConstantExpr { Value.AsString: { } text } => LocalEndpointPrefixes.Any(prefix => text.StartsWith(prefix, StringComparison.Ordinal)),
        JoinedStrExpr { Values: [ConstantExpr { Value.AsString: { } start }, ..] } =>
            LocalEndpointPrefixes.Any(prefix => start.StartsWith(prefix, StringComparison.Ordinal)),
        // `f"{args.zmq_mode}127.0.0.1:{port}"` (LightLLM: the mode is "tcp://" or "ipc:///tmp/"): after a scheme, a
        // loopback host; after an ipc path's directory, a file name. Either way this host.
        JoinedStrExpr { Values: [FormattedValueExpr, ConstantExpr { Value.AsString: { } host }, ..] } =>
            LoopbackHosts.Any(prefix => host.StartsWith(prefix, StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>The loopback host names of <see cref="LocalEndpointPrefixes"/>, without the scheme.</summary>
    private static readonly string[] LoopbackHosts = ["127.", "localhost:", "[::1]:"];
}
