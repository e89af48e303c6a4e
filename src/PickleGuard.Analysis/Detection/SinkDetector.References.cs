using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A deserializer passed as a callable instead of being called (<c>map(marshal.loads, items)</c>,
/// <c>functools.partial(pickle.loads)</c>, <c>callback=pickle.loads</c>): whoever calls it later decodes data this
/// module cannot see, so the reference itself is the sink (medium). Inside a test assertion that expects the call to
/// fail (<c>self.assertRaises(E, marshal.loads, b"0")</c>, <c>pytest.raises</c>) it is low: the test feeds its own
/// bytes and checks the error. Sinks that are safe unless an argument says otherwise (<c>numpy.load</c> without
/// <c>allow_pickle</c>) are not reported: called without it, they are safe.
/// </summary>
internal sealed partial class SinkDetector
{
    private static readonly HashSet<string> FailureAssertions = new(StringComparer.Ordinal)
    {
        "assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "assertWarns", "assertWarnsRegex", "failUnlessRaises",
    };

    /// <summary>Wrappers that make an alias, not a callback: the aliased call is reported where it is made.</summary>
    private static readonly HashSet<string> AliasWrappers = new(StringComparer.Ordinal) { "staticmethod", "classmethod" };

    /// <summary>
    /// Library functions that read a function object and never call it: a deserializer handed to them is no callback
    /// (timm's feature probe `"weights_only" in inspect.signature(torch.load).parameters`).
    /// </summary>
    private static readonly HashSet<string> IntrospectionCallees = new(StringComparer.Ordinal)
    {
        "inspect.signature", "inspect.getdoc", "inspect.getsource", "inspect.getsourcelines", "inspect.getsourcefile",
        "inspect.getfile", "inspect.getmodule", "inspect.getfullargspec", "inspect.getargspec", "inspect.getcomments",
        "inspect.isfunction", "inspect.isbuiltin", "inspect.isroutine", "inspect.ismethod", "inspect.iscoroutinefunction",
        "inspect.unwrap", "functools.wraps", "functools.update_wrapper", "typing.get_type_hints", "builtins.getattr",
        "builtins.hasattr", "builtins.callable", "builtins.id", "builtins.repr", "builtins.str", "builtins.hash",
        "builtins.type", "builtins.vars", "builtins.dir", "builtins.help", "builtins.print",
    };

    private void AddReferenceFindings(List<Finding> findings, ModuleModel module, CallSite site, int callIndex, IReadOnlyList<SymbolicValue> callees)
    {
        var call = site.Call;
        // The arguments' names first: few calls pass one that may name a deserializer, and the callee's tests hash
        // each callee's path.
        if (!MayPassReference(call, site.Scope)
            || call.Func is NameExpr { Id: var wrapper } && AliasWrappers.Contains(wrapper) || OnlyIntrospects(callees))
        {
            return;
        }
        for (var i = 0; i < call.Args.Count; i++)
        {
            AddReferenceFinding(findings, module, site, callIndex, Unstarred(call.Args[i]), callees);
        }
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            AddReferenceFinding(findings, module, site, callIndex, call.Keywords[i].Value, callees);
        }
    }

    /// <summary>
    /// Whether some argument of <paramref name="call"/> passes the name tests <see cref="AddReferenceFinding"/> begins
    /// with: nothing else can make it report (plain loops: this runs for every call of the project).
    /// </summary>
    private bool MayPassReference(CallExpr call, Scope scope)
    {
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (MayNameReference(Unstarred(call.Args[i]), scope))
            {
                return true;
            }
        }
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            if (MayNameReference(call.Keywords[i].Value, scope))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// An imported name (a deserialization module, <see cref="AddModuleReferenceFinding"/>), or a name or attribute whose
    /// last name, or whose parameter's default's, is a sink's or a decoding class's (<see cref="_referenceNames"/>).
    /// </summary>
    private bool MayNameReference(Expr argument, Scope scope) => argument switch
    {
        NameExpr { Id: var name } => _referenceNames.Contains(name) || _importedNames.Contains(name)
            || DefaultOf(argument, scope) is var named && !ReferenceEquals(named, argument) && _referenceNames.Contains(LastName(named)),
        AttributeExpr { Attr: var attribute } => _referenceNames.Contains(attribute),
        _ => false,
    };

    private static Expr Unstarred(Expr argument) => argument is StarredExpr starred ? starred.Value : argument;

    /// <summary>Every callee is an <see cref="IntrospectionCallees"/> function (a loop: this runs for every call).</summary>
    private static bool OnlyIntrospects(IReadOnlyList<SymbolicValue> callees)
    {
        for (var i = 0; i < callees.Count; i++)
        {
            if (callees[i] is not ApiValue api || !IntrospectionCallees.Contains(api.Path))
            {
                return false;
            }
        }
        return callees.Count > 0;
    }

    /// <summary>The most severe finding for one argument that names a deserializer, if it does.</summary>
    private void AddReferenceFinding(List<Finding> findings, ModuleModel module, CallSite site, int callIndex, Expr argument,
        IReadOnlyList<SymbolicValue> callees)
    {
        if (argument is not (NameExpr or AttributeExpr) || AddModuleReferenceFinding(findings, module, site, callIndex, argument, callees))
        {
            return;
        }
        if (_constructorSinks.TryGetValue(LastName(argument), out var constructorSinks))
        {
            AddConstructorReferenceFinding(findings, module, site, argument, constructorSinks);
            return;
        }
        if (!_sinkLastSegments.Contains(LastName(argument)) && !_sinkLastSegments.Contains(LastName(DefaultOf(argument, site.Scope))))
        {
            return;
        }
        Finding? best = null;
        foreach (var value in _resolver.Resolve(argument, EvalContext.At(site)))
        {
            if (value is not ApiValue api)
            {
                continue;
            }
            foreach (var sink in _models.SinksFor(api.Path))
            {
                if (!IsReportedAsReference(sink) || IsSafePartial(site, argument, sink))
                {
                    continue;
                }
                References.Add(new SinkReference(callIndex, argument, sink, ProvenanceEvaluator.Display(api.Path)));
                var finding = ReferenceFinding(module, site, argument, sink, api);
                if (best is null || finding.Severity > best.Severity)
                {
                    best = finding;
                }
            }
        }
        if (best is not null)
        {
            findings.Add(best);
        }
    }

    /// <summary>
    /// The classes whose objects decode what they were made with when a method runs (<c>pickle.Unpickler(f).load()</c>),
    /// by the class's last name, with the sink and the method.
    /// </summary>
    private static Dictionary<string, List<(SinkModel Sink, string Class, string Method)>> ConstructorSinks(ModelSet models)
    {
        var result = new Dictionary<string, List<(SinkModel, string, string)>>(StringComparer.Ordinal);
        foreach (var sink in models.Sinks.Where(s => s.Input?.On == CallPart.Constructor))
        {
            foreach (var name in sink.Names)
            {
                var made = name.LastIndexOf(ApiPath.CallMarker + ".", StringComparison.Ordinal);
                if (made > 0)
                {
                    var cls = name[..made];
                    var lastName = TaintModels.LastSegment(cls);
                    if (!result.TryGetValue(lastName, out var list))
                    {
                        result[lastName] = list = [];
                    }
                    list.Add((sink, cls, name[(made + ApiPath.CallMarker.Length + 1)..]));
                }
            }
        }
        return result;
    }

    /// <summary>
    /// A class whose objects decode what they are made with passed as a callable (<c>_load(pickle.Unpickler, f)</c>,
    /// then <c>unpickler(f).load()</c> in the helper; joblib's benchmarks): medium, as <c>pickle.loads</c> passed so is.
    /// Not where the class is only made or looked at (<c>assertRaises(E, pickle.Unpickler, f)</c>, <c>isinstance</c>):
    /// making one decodes nothing.
    /// </summary>
    private void AddConstructorReferenceFinding(List<Finding> findings, ModuleModel module, CallSite site, Expr argument,
        List<(SinkModel Sink, string Class, string Method)> candidates)
    {
        var receiver = CalleeName(site.Call.Func);
        if (FailureAssertions.Contains(receiver) || receiver is "isinstance" or "issubclass" or "super" or "type" || IsPytestRaises(site))
        {
            return;
        }
        foreach (var value in _resolver.Resolve(argument, EvalContext.At(site)))
        {
            foreach (var (sink, cls, method) in candidates)
            {
                if (value is ApiValue api && api.Path == cls)
                {
                    var name = ProvenanceEvaluator.Display(cls);
                    findings.Add(CreateFinding(module, argument, sink.Rule, Severity.Medium, sink.Confidence,
                        $"`{name}` is passed as a callable to `{receiver}`: the object it makes decodes what it is given when its `{method}()` runs, whose origin is unknown here: {sink.Reason}."));
                    return;
                }
            }
        }
    }

    private Finding ReferenceFinding(ModuleModel module, CallSite site, Expr argument, SinkModel sink, ApiValue api)
    {
        var name = ProvenanceEvaluator.Display(api.Path);
        var receiver = CalleeName(site.Call.Func);
        if (FailureAssertions.Contains(receiver) || IsPytestRaises(site))
        {
            return CreateFinding(module, argument, sink.Rule, Severity.Low, sink.Confidence,
                $"`{name}` is passed to `{receiver}`, a test assertion that expects it to fail on the test's own bytes; still, {sink.Reason}.");
        }
        return CreateFinding(module, argument, sink.Rule, Severity.Medium, sink.Confidence,
            $"`{name}` is passed as a callable to `{receiver}`: it will decode whatever data it is called with, whose origin is unknown here: {sink.Reason}.");
    }

    /// <summary>
    /// Whether a reference to <paramref name="sink"/> passed as a callable is a finding: not when the call is safe
    /// without an argument that says otherwise (<c>numpy.load</c>), nor for a sink on a constructed object.
    /// </summary>
    internal static bool IsReportedAsReference(SinkModel sink) =>
        !IsSafeByDefault(sink.SafeWhen) && !IsSafeByDefault(sink.MitigatedWhen) && sink.Input?.On != CallPart.Constructor;

    /// <summary>
    /// <c>functools.partial(torch.load, weights_only=True)</c>: the partial binds the argument that makes every call of
    /// it safe (its calls are checked where they are made, with the bound keywords, <see cref="FindArgument"/>).
    /// </summary>
    private bool IsSafePartial(CallSite site, Expr argument, SinkModel sink)
    {
        var call = site.Call;
        if (sink.SafeWhen is not { Argument.On: CallPart.Call } safeWhen || call.Args.Count == 0 || !ReferenceEquals(call.Args[0], argument)
            || !_resolver.Resolve(call.Func, EvalContext.At(site)).Any(v => v is ApiValue { Path: "functools.partial" }))
        {
            return false;
        }
        var (kind, value) = BoundByPartial(call, safeWhen.Argument);
        return kind == ArgumentKind.Found && Holds(safeWhen, kind, value, EvalContext.At(site));
    }

    private bool IsPytestRaises(CallSite site) =>
        _resolver.Resolve(site.Call.Func, EvalContext.At(site)).Any(v => v is ApiValue { Path: "pytest.raises" or "pytest.warns" });

    /// <summary>
    /// A condition that holds when its argument is absent: the callable called without it is not a sink. A default class
    /// counts (<c>yaml.safe_load</c> passed as a callable): whether the project extended it is not judged here.
    /// </summary>
    private static bool IsSafeByDefault(ArgumentCondition? condition) =>
        condition is { Missing: MissingArgumentVerdict.Safe or MissingArgumentVerdict.DefaultClass };

    private static string CalleeName(Expr func) => func switch
    {
        NameExpr name => name.Id,
        AttributeExpr attribute => attribute.Attr,
        _ => "a call",
    };

    /// <summary>
    /// The function a parameter passed on names by default (<c>def load_remote(url, loader=torch.jit.load): ...
    /// load_from_path(path, loader=loader)</c>: <c>torch.jit.load</c> unless a caller passes another), or the argument itself.
    /// </summary>
    private static Expr DefaultOf(Expr argument, Scope scope) =>
        argument is NameExpr { Id: var name } && scope.BindingsOf(name) is [{ Kind: BindingKind.Parameter, DefaultReference: { } reference }] ? reference : argument;

    private static string LastName(Expr expr) => expr switch
    {
        NameExpr name => name.Id,
        AttributeExpr attribute => attribute.Attr,
        _ => "",
    };
}
