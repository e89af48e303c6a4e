using PickleGuard.Models;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Library methods whose result, entered by a <c>with</c>, gives the object they were called on: the endpoint methods of
/// sources marked <see cref="SourceModel.EndpointContexts"/>, on the objects those sources read from (pyzmq's
/// <c>zmq.Context().socket().connect</c>: <c>with sock.connect(addr) as s</c> makes <c>s</c> the socket).
/// </summary>
public static class ReceiverContexts
{
    /// <summary>The API paths of such methods (<c>zmq.Context().socket().bind</c>).</summary>
    public static HashSet<string> Of(ModelSet models)
    {
        var methods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in models.Taint.Sources)
        {
            if (!source.EndpointContexts)
            {
                continue;
            }
            foreach (var name in source.Names)
            {
                // `zmq.Context().socket().recv`: the object read from is `zmq.Context().socket()`, made by a call.
                var dot = name.LastIndexOf('.');
                if (dot > 2 && name.AsSpan(0, dot).EndsWith("()", StringComparison.Ordinal))
                {
                    foreach (var method in source.EndpointMethods)
                    {
                        methods.Add($"{name[..dot]}.{method}");
                    }
                }
            }
        }
        return methods;
    }
}
