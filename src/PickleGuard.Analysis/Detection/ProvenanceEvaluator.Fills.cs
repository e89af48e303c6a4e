using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class ProvenanceEvaluator
{
    private readonly Dictionary<ModuleModel, Dictionary<(string, bool), CallSiteList>> _callsByMention = [];

    /// <summary>The methods of sockets and files that read into the buffer they are given (the buffer is their first argument).</summary>
    private static readonly HashSet<string> ReadIntoMethods = new(StringComparer.Ordinal)
    {
        "recv_into", "recvfrom_into", "recvmsg_into", "readinto", "readinto1",
    };

    /// <summary>
    /// What code writes into the object <paramref name="binding"/> bound, when that is not program-controlled: an empty
    /// buffer is the program's until a call fills it — a mutator on it (<c>buf.write(request.data)</c>, judged by its
    /// arguments) or a modelled call that saves into that argument (<c>s3.download_fileobj(bucket, key, buf)</c>,
    /// <c>shutil.copyfileobj(response, buf)</c>: a download, or a copy of data not the program's). For a name, the calls
    /// after the binding in its scope (for a module variable, also those in the module's functions); for an attribute
    /// store (<c>self.buf = bytearray()</c>), those on that attribute of any object anywhere in the module
    /// (<c>self.buf.extend(chunk)</c> in another method). Null when nothing fills it with outside data.
    /// </summary>
    private Provenance? FilledAfter(Binding binding)
    {
        var (name, attribute) = binding.Node switch
        {
            NameExpr => (binding.Name, false),
            AttributeExpr { Value: NameExpr } => (binding.Name, true),
            _ => (null, false),
        };
        if (name is null)
        {
            return null;
        }
        foreach (var site in CallsMentioning(binding.Scope.Module, name, attribute))
        {
            var call = site.Call;
            if (!attribute && !SeesBinding(site, binding))
            {
                continue;
            }
            var context = EvalContext.At(site);
            var fills = call.Func is AttributeExpr { Value: var receiver } method && Denotes(receiver, name, attribute)
                && CodeFootprint.Mutators.Contains(method.Attr)
                    ? !JoinAll(call.Args.Concat(call.Keywords.Select(k => k.Value)), context, "a literal").IsProgramControlled
                    : Passes(call, name, attribute) ? SavesInto(call, name, attribute, context)
                    : DownloadsByCommandInto(call, name, attribute, context);
            if (fills)
            {
                return Provenance.Unknown($"what '{Text(call, context)}' wrote into '{Text(binding.Node, EvalContext.Of(binding))}'");
            }
        }
        return null;
    }

    /// <summary>
    /// The calls of <paramref name="module"/> that name <paramref name="name"/> (a local, or with
    /// <paramref name="attribute"/> an attribute on a plain name) as their method's receiver or as an argument: the only
    /// ones that can fill it. Indexed once per module: this is asked for every program-controlled binding a sink's
    /// input reaches.
    /// </summary>
    private IReadOnlyList<CallSite> CallsMentioning(ModuleModel module, string name, bool attribute)
    {
        if (!_callsByMention.TryGetValue(module, out var index))
        {
            _callsByMention[module] = index = [];
            for (var position = 0; position < module.Calls.Count; position++)
            {
                var call = module.Calls[position].Call;
                var site = (module, position);
                if (call.Func is AttributeExpr { Value: var receiver })
                {
                    Mention(index, receiver, site);
                }
                // Index loops: a foreach over the IReadOnlyList of arguments allocates an enumerator per call.
                for (var i = 0; i < call.Args.Count; i++)
                {
                    Mention(index, call.Args[i], site);
                    MentionInCommand(index, call.Args[i], site);
                }
                for (var i = 0; i < call.Keywords.Count; i++)
                {
                    Mention(index, call.Keywords[i].Value, site);
                    MentionInCommand(index, call.Keywords[i].Value, site);
                }
            }
        }
        return index.GetValueOrDefault((name, attribute)) ?? (IReadOnlyList<CallSite>)Array.Empty<CallSite>();
    }

    /// <summary>
    /// Mentions the items of a list or tuple argument and the formatted values of an f-string one: where a command's
    /// output file is (<c>subprocess.run(["curl", url, "-o", path])</c>, <c>os.system(f"wget {url} -O {path}")</c>).
    /// </summary>
    private static void MentionInCommand(Dictionary<(string, bool), CallSiteList> index, Expr expr, (ModuleModel Module, int Position) site)
    {
        var parts = expr switch
        {
            ListExpr list => list.Elts,
            TupleExpr tuple => tuple.Elts,
            JoinedStrExpr joined => joined.Values,
            _ => [],
        };
        foreach (var part in parts)
        {
            Mention(index, part is FormattedValueExpr formatted ? formatted.Value : part, site);
        }
    }

    /// <param name="site">The call's module and its position in the module's calls.</param>
    private static void Mention(Dictionary<(string, bool), CallSiteList> index, Expr expr, (ModuleModel Module, int Position) site)
    {
        var key = expr switch
        {
            NameExpr local => (local.Id, false),
            AttributeExpr { Value: NameExpr } read => (read.Attr, true),
            _ => default((string, bool)?),
        };
        if (key is not { } found)
        {
            return;
        }
        if (!index.TryGetValue(found, out var sites))
        {
            index[found] = sites = new CallSiteList(site.Module);
        }
        sites.AddOnce(site.Position);
    }

    /// <summary>
    /// Whether a call may act on the object a name's binding made: after it in its scope, or, for a module variable, in
    /// any function of the module that reads the module's name (<c>BLOBS.append(x)</c> in another function).
    /// </summary>
    private static bool SeesBinding(CallSite site, Binding binding) =>
        site.Scope == binding.ExecutingScope ? site.Call.Span.Start >= binding.Offset
            : binding.Scope.Kind == ScopeKind.Module && site.Scope.ScopeBinding(binding.Name) == binding.Scope;

    /// <summary>Whether <paramref name="expr"/> is the local <paramref name="name"/>, or an attribute of that name on a plain name.</summary>
    private static bool Denotes(Expr? expr, string name, bool attribute) =>
        attribute ? expr is AttributeExpr { Value: NameExpr } read && read.Attr == name : expr is NameExpr local && local.Id == name;

    /// <summary>How many helpers deep a buffer handed on is followed (<c>def fill(b, d): write_into(b, d)</c>).</summary>
    private const int MaxFillDepth = 3;

    /// <summary>
    /// Whether the project function changes in place the parameter the argument naming <paramref name="name"/> binds:
    /// a mutator on it in its own code, or a call there that fills it (a download into it, another helper changing it).
    /// </summary>
    private bool ChangesParameter(FunctionValue function, CallExpr call, string name, bool attribute, int depth)
    {
        if (function.Function.Arguments is not { } arguments)
        {
            return false;
        }
        var skipped = function.BoundTo is not null ? 1 : 0; // `self`
        var positional = arguments.Posonlyargs.Concat(arguments.Args).Skip(skipped).ToList();
        for (var i = 0; i < call.Args.Count && i < positional.Count; i++)
        {
            if (Denotes(call.Args[i], name, attribute) && Changes(function.Function, positional[i].ArgValue, depth))
            {
                return true;
            }
        }
        return call.Keywords.Any(k => k.Arg is { } keyword && Denotes(k.Value, name, attribute) && Changes(function.Function, keyword, depth));
    }

    /// <summary>Whether <paramref name="function"/> changes the object its parameter <paramref name="parameter"/> holds.</summary>
    private bool Changes(FunctionInfo function, string parameter, int depth)
    {
        if (function.Footprint.MutatedNames.Contains(parameter))
        {
            return true;
        }
        if (depth >= MaxFillDepth || function.Scope.BindingsOf(parameter) is not [{ Kind: BindingKind.Parameter }])
        {
            return false; // a parameter rebound in the body no longer holds the caller's object
        }
        foreach (var site in CallsMentioning(function.Scope.Module, parameter, attribute: false))
        {
            if (site.Scope == function.Scope && Passes(site.Call, parameter, attribute: false)
                && SavesInto(site.Call, parameter, attribute: false, EvalContext.At(site), depth + 1))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the call runs a curl or wget command downloading into the file that argument names (<see cref="DownloadCommand"/>).</summary>
    private bool DownloadsByCommandInto(CallExpr call, string name, bool attribute, EvalContext context) =>
        _resolver.Resolve(call.Func, context).Any(callee => callee is ApiValue api && _models.Taint.CommandRunnerFor(api.Path) is { } runner
            && Denotes(DownloadCommand.OutputFile(call, runner), name, attribute));

    private static bool Passes(CallExpr call, string name, bool attribute) =>
        call.Args.Any(a => Denotes(a, name, attribute)) || call.Keywords.Any(k => Denotes(k.Value, name, attribute));

    /// <summary>
    /// Whether the call is a download saving into that argument, a copy of data the program does not control into it, or
    /// a project function changing the parameter it binds in place (<c>def fill(b): b.write(...)</c>, or handing it on
    /// to a call that fills it: what it writes is not followed here).
    /// </summary>
    private bool SavesInto(CallExpr call, string name, bool attribute, EvalContext context, int depth = 0)
    {
        if (call.Func is AttributeExpr { Attr: var method } && ReadIntoMethods.Contains(method) && call.Args.Count > 0
            && Denotes(call.Args[0], name, attribute))
        {
            return true; // `conn.recv_into(buf)` on a socket of any origin, `f.readinto(buf)`: the buffer gets what is read
        }
        foreach (var callee in _resolver.Resolve(call.Func, context))
        {
            if (callee is FunctionValue function && ChangesParameter(function, call, name, attribute, depth))
            {
                return true;
            }
            if (callee is not ApiValue api)
            {
                continue;
            }
            if (_models.Taint.SourceFor(api.Path) is { Model.SavesTo: { } download } && Denotes(ArgumentFinder.Find(call, download).Value, name, attribute))
            {
                return true;
            }
            if (_models.PropagatorFor(api.Path) is { SavesTo: { } copy, Argument: { } from } && Denotes(ArgumentFinder.Find(call, copy).Value, name, attribute)
                && ArgumentFinder.Find(call, from).Value is { } copied && !Evaluate(copied, context).IsProgramControlled)
            {
                return true;
            }
        }
        return false;
    }
}
