using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Per-object instance attributes (docs/taint.md, design item 8). In a method of a class some confined object has
/// (<see cref="ProjectIndex.FollowedClasses"/>), reading <c>self.a</c> also gives the origin "receiver attribute a", so
/// the summary says what the method does with the attribute of whichever object it runs on; stores through <c>self</c> are summarised as "parameter → receiver attribute". A call applies both to
/// its receiver: a local object confined to this function (<see cref="ObjectConfinement"/>) keeps them in its
/// variable parts (<c>.a</c>) and nothing else (its constructor's stores included); the method's own <c>self</c>
/// passes them on to this method's summary; a local with parts that is not confined feeds its parts in and gets the
/// stores both in its parts and as class-wide facts; any other receiver gets the class-wide facts, as before.
/// Also what a view class's framework puts on the receiver (<c>self.request</c>, <c>self.kwargs</c>: <see cref="ViewReceiverData"/>).
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    private enum ReceiverKind
    {
        /// <summary>Not followed per object: stores become class-wide facts.</summary>
        Unknown,
        /// <summary>This method's own receiver (<c>self.m()</c>, <c>super().m()</c>).</summary>
        Own,
        /// <summary>A local variable (its parts); confined or not.</summary>
        Local,
        /// <summary>The object a constructor call is making for a local or an argument (<see cref="_construction"/>).</summary>
        Constructed,
    }

    private readonly record struct Receiver(ReceiverKind Kind, string Name, bool Confined)
    {
        /// <summary>
        /// The class of the object stored into, when known: the class a constructor call makes an object of
        /// (<c>PullRequestResource(...)</c>), or that a classmethod making objects of the class it is called on is
        /// called on (<c>PullRequestResource.build(data)</c>). The stores are facts of that class (<see cref="FactOwner"/>).
        /// </summary>
        public ClassInfo? Made { get; init; }

        /// <summary>
        /// The object is made from the class this classmethod is called on (<c>cls(p)</c>, <c>cls.build(p)</c>): what
        /// the method's parameters hold goes into its summary's made stores, for its callers to key by the class they call it on.
        /// </summary>
        public bool OfCalledClass { get; init; }

        /// <summary>The construction making the object, when its class keeps objects apart (<see cref="ObjectConfinement.KeepsObjectsApart"/>), else null.</summary>
        public CallExpr? MadeAt { get; init; }
    }

    private static readonly Receiver UnknownReceiver = new(ReceiverKind.Unknown, "", false);

    /// <summary>Locals holding an object that never leaves this function (set when the analysis starts).</summary>
    private IReadOnlyDictionary<string, ClassInfo> _confined = ObjectConfinement.None;

    /// <summary>
    /// The constructor call whose result is being bound to a local or passed as an argument, what it is called here
    /// and whether the local is confined (its attributes then live only in its parts, not in class-wide facts).
    /// </summary>
    private (CallExpr Call, string Name, bool Confined)? _construction;

    private Dictionary<string, TaintValue>? _constructedParts;

    private bool? _tracksReceiver;

    private Dictionary<string, TaintValue>? _receiverOrigins;

    /// <summary>
    /// The "receiver attribute" origin of <c>self.attribute</c> (clean outside methods of the classes some confined
    /// object has); one per attribute and analysis, its trace starting at the first read.
    /// </summary>
    private TaintValue ReceiverAttribute(string attribute, int offset, string receiver)
    {
        _tracksReceiver ??= _unit.TakesReceiver && !_unit.IsClassMethod && _unit.Function!.Owner is { } owner && _program.Index.FollowedClasses.Contains(owner);
        if (!_tracksReceiver.Value)
        {
            return TaintValue.Clean;
        }
        _receiverOrigins ??= new Dictionary<string, TaintValue>(StringComparer.Ordinal);
        if (!_receiverOrigins.TryGetValue(attribute, out var origin))
        {
            var trace = TraceLink.Start(_module, offset, $"reads '{receiver}.{attribute}'");
            _receiverOrigins[attribute] = origin = TaintValue.Of(new TaintOrigin("", attribute, TaintOrigin.ReceiverIndex, null, null, trace));
        }
        return origin;
    }

    private string? ReceiverName => _unit.TakesReceiver && !_unit.IsClassMethod && _unit.Parameters.Length > 0 ? _unit.Parameters[0].ArgValue : null;

    /// <summary>What the receiver of a bound method call is, for applying the callee's receiver summary.</summary>
    private Receiver ReceiverOf(AttributeExpr? method) => method?.Value switch
    {
        NameExpr name when SelfClass(name) is not null => new Receiver(ReceiverKind.Own, name.Id, false),
        NameExpr name when _confined.ContainsKey(name.Id) => new Receiver(ReceiverKind.Local, name.Id, true),
        NameExpr name when _state.TryGet(name.Id, out var held) && held.Parts is not null => new Receiver(ReceiverKind.Local, name.Id, false),
        CallExpr { Func: NameExpr { Id: "super" }, Args.Count: 0, Keywords.Count: 0 } when ReceiverName is { } self => new Receiver(ReceiverKind.Own, self, false),
        _ => UnknownReceiver,
    };

    /// <summary>
    /// The receiver as <paramref name="callee"/> sees it: a method of this method's own class chain runs on the same
    /// object; anything else reached through <c>self</c> (a bound method of another object stored in an attribute)
    /// does not, and is treated as an unknown receiver.
    /// </summary>
    private Receiver ReceiverFor(Receiver receiver, TaintUnit callee) =>
        receiver.Kind == ReceiverKind.Own && (callee.Function?.Owner is not { } owner
            || owner != _unit.Function!.Owner && Array.IndexOf(_program.ClassAndBases(_unit.Function.Owner!), owner) < 0)
            ? UnknownReceiver
            : receiver;

    /// <summary>
    /// Starts following <c>name = C(...)</c> per object: the attributes the constructor stores become parts of
    /// <c>name</c>, so passing the object on passes them (<c>run(job)</c>); returns the name, else null.
    /// </summary>
    private string? BeginConstruction(Expr? target, Expr value)
    {
        if (target is NameExpr name && value is CallExpr call)
        {
            _construction = (call, name.Id, _confined.ContainsKey(name.Id));
            _constructedParts = null;
            return name.Id;
        }
        return null;
    }

    /// <summary>Gives the just-bound local the attributes its constructor stored.</summary>
    private void EndConstruction(string? name)
    {
        if (name is null)
        {
            return;
        }
        _construction = null;
        if (_constructedParts is { } parts && _state.TryGet(name, out var held))
        {
            foreach (var (key, value) in parts)
            {
                held = held.WithPart(key, value);
            }
            _state.Set(name, held);
        }
        _constructedParts = null;
    }

    private Receiver ConstructorReceiver(CallExpr call) =>
        _construction is { } construction && ReferenceEquals(construction.Call, call)
            ? new Receiver(ReceiverKind.Constructed, construction.Name, construction.Confined)
            : UnknownReceiver;

    /// <summary>The receiver's attribute as the call passes it to the callee (clean when nothing is known per object).</summary>
    private TaintValue ReceiverPart(Receiver receiver, string attribute, int offset)
    {
        var key = "." + attribute;
        switch (receiver.Kind)
        {
            case ReceiverKind.Constructed:
                return _constructedParts?.GetValueOrDefault(key) ?? TaintValue.Clean;
            case ReceiverKind.Local:
                return _state.TryGet(receiver.Name, out var held) && held.HasPart(key) ? held.Part(key) : TaintValue.Clean;
            case ReceiverKind.Own:
                return _state.TryGet(receiver.Name, out var self) && self.HasPart(key) ? self.Part(key)
                    : ReceiverAttribute(attribute, offset, receiver.Name);
            default:
                return TaintValue.Clean;
        }
    }

    /// <summary>
    /// Applies a callee's stores into its receiver's attributes (the callee's path spliced into each origin's trace):
    /// a local or constructed object keeps them in its parts (joined: the callee may or may not store); this method's
    /// own receiver passes them on to this method's summary (source data becomes a class-wide fact there, as for a
    /// direct <c>self.a = source</c>); every receiver not confined to this function gets them as class-wide facts,
    /// of the class the object is known to be (<see cref="FactOwner"/>).
    /// </summary>
    /// <param name="onObjects">The callee's stores on other objects (its summary's attributes) or on the object a factory makes, not on its receiver: see <see cref="TaintProgram.WriteSource"/>.</param>
    /// <param name="callee">The summary <paramref name="stores"/> come from: a path on which it verified its input stores what is passed verified.</param>
    private void StoreAll(Receiver receiver, Dictionary<(ClassInfo Class, string Attribute), TraceLink> stores, TaintValue passed, bool onObjects = false,
        FunctionSummary? callee = null)
    {
        if (OverBudget(stores.Count * passed.Origins.Length))
        {
            return;
        }
        var local = receiver.Kind is ReceiverKind.Local or ReceiverKind.Constructed;
        foreach (var (key, chain) in stores)
        {
            var (owner, onObject) = FactOwner(receiver, key.Class);
            onObject |= onObjects;
            // Spliced once for a local object: its part and the class-wide fact of one that escapes share the traces.
            // Otherwise only the traces are spliced: the summary keeps them apart from their origins.
            var stored = local ? passed.Spliced(chain) : passed;
            if (callee?.VerificationOf(chain) is { } verified)
            {
                stored = VerifiedBy(stored, verified); // `Feeder(data)` after the callee's HMAC check of `data`
            }
            if (local)
            {
                StorePart(receiver, "." + key.Attribute, stored);
                NoteOwners(receiver.Name, key.Attribute, [owner]);
                if (receiver.Confined)
                {
                    continue;
                }
            }
            foreach (var origin in stored.Origins)
            {
                if (origin.IsSource)
                {
                    _program.WriteSource(new GlobalKey(owner, key.Attribute), origin, local ? null : chain, onObject, onObjects ? null : MadeAtOf(receiver, owner, key.Attribute));
                }
                else if (receiver.Kind == ReceiverKind.Own)
                {
                    // The storing method's class: a construction of a subclass, where the summary is applied, knows better.
                    if (!_unit.Summary.HasReceiverStore(origin, key))
                    {
                        _unit.OwnSummary.AddReceiverStore(origin, key, local ? origin.Trace : origin.Trace.Splice(chain));
                    }
                }
                else if (receiver.OfCalledClass && origin.Parameter >= 0)
                {
                    if (!_unit.Summary.HasMadeStore(origin.Parameter, (owner, key.Attribute)))
                    {
                        _unit.OwnSummary.AddMadeStore(origin.Parameter, (owner, key.Attribute), local ? origin.Trace : origin.Trace.Splice(chain));
                    }
                }
                else if (!_unit.Summary.HasAttribute(origin, (owner, key.Attribute)))
                {
                    _unit.OwnSummary.AddAttribute(origin, (owner, key.Attribute), local ? origin.Trace : origin.Trace.Splice(chain));
                }
            }
        }
    }

    private void StorePart(Receiver receiver, string part, TaintValue value)
    {
        value = value.Derived(); // an object holding a parameter's object in an attribute is no such object itself
        if (receiver.Kind == ReceiverKind.Constructed)
        {
            _constructedParts ??= new Dictionary<string, TaintValue>(StringComparer.Ordinal);
            _constructedParts[part] = _constructedParts.GetValueOrDefault(part).Join(value);
            return;
        }
        var held = _state.TryGet(receiver.Name, out var local) ? local : VarTaint.Clean;
        _state.Set(receiver.Name, held.WithPart(part, held.Part(part).Join(value)));
    }

    /// <summary>The sinks a callee's input reaches: hits for sources, this function's summary for its own inputs.</summary>
    /// <param name="callee">The summary <paramref name="sinks"/> come from: a path on which it verified its input verifies what is passed.</param>
    /// <param name="relayed">The sinks whose flag this call hands on from a parameter of this function, with that flag (FunctionAnalyzer.SafeArguments.cs).</param>
    /// <param name="typeTested">The type test around the call that keeps a file object out (FunctionAnalyzer.FileTests.cs), for this function's parameters' paths.</param>
    private void ReachSinks(Dictionary<SinkKey, TraceLink> sinks, TaintValue passed, FunctionSummary callee, Dictionary<SinkKey, SafeFlag>? relayed,
        SafeFlag? typeTested)
    {
        if (OverBudget(sinks.Count * passed.Origins.Length))
        {
            return;
        }
        foreach (var (sink, chain) in sinks)
        {
            var verified = callee.VerificationOf(chain);
            SafeFlag? flag = relayed is not null && relayed.TryGetValue(sink, out var handedOn) ? handedOn : null;
            var ownFlag = flag ?? typeTested;
            foreach (var passedOrigin in passed.Origins)
            {
                var origin = verified is null ? passedOrigin : passedOrigin.VerifiedBy(verified);
                if (origin.IsSource)
                {
                    var hit = origin.WithoutAttributes() with { Trace = origin.Trace.Splice(chain) };
                    if (flag is not { } guard || !_unit.OwnSummary.AddGuardedHit(sink, guard, hit))
                    {
                        _program.RecordHit(sink, hit);
                    }
                }
                else if (!_unit.Summary.HasSink(origin, sink))
                {
                    _unit.OwnSummary.AddSink(origin, sink, origin.Trace.Splice(chain), ownFlag);
                }
                else
                {
                    _unit.OwnSummary.NoteSinkFlag(origin, sink, ownFlag);
                }
            }
        }
    }

    /// <summary>
    /// Applies what the callee does with its receiver's attributes, with the receiver's attributes as this call passes
    /// them: the sinks they reach, the return value, the other objects and receiver attributes they are stored into.
    /// </summary>
    private TaintValue ApplyReceiverInputs(TaintUnit callee, Receiver receiver, CallExpr call)
    {
        var summary = callee.Summary;
        var result = TaintValue.Clean;
        // A method calling itself on self adds to the inputs it is reading: walk a copy then.
        var inputs = ReferenceEquals(callee, _unit) ? [.. summary.ReceiverInputs] : summary.ReceiverInputs;
        foreach (var attribute in inputs)
        {
            var held = ReceiverPart(receiver, attribute, call.Span.Start);
            if (held.IsClean)
            {
                continue;
            }
            var passed = held.Step(_module, call.Span.Start, $"'{receiver.Name}.{attribute}' used by '{callee.Name}'");
            var toReturn = summary.TryGetReceiverReturn(attribute, out var chain) ? chain : null;
            result = result.Join(ApplyInput(summary, passed, toReturn, summary.SinksOfReceiver(attribute), summary.AttributesOfReceiver(attribute),
                summary.ReceiverStoresOfReceiver(attribute), receiver));
        }
        return result;
    }

    /// <summary>
    /// Applies what a callee does with one of its inputs (a parameter, or an attribute of its receiver) to the value
    /// this call passes for it: returns the part that reaches the callee's return value (the callee's path spliced
    /// into each trace), records the sinks it reaches, and stores it where the callee stores it.
    /// </summary>
    private TaintValue ApplyInput(FunctionSummary callee, TaintValue passed, TraceLink? toReturn, Dictionary<SinkKey, TraceLink>? sinks,
        Dictionary<(ClassInfo Class, string Attribute), TraceLink>? attributes, Dictionary<(ClassInfo Class, string Attribute), TraceLink>? receiverStores,
        Receiver receiver, string[]? returnReads = null, Dictionary<SinkKey, SafeFlag>? relayed = null, SafeFlag? typeTested = null)
    {
        if (sinks is not null)
        {
            ReachSinks(sinks, passed, callee, relayed, typeTested);
        }
        if (attributes is not null)
        {
            StoreAll(UnknownReceiver, attributes, passed, onObjects: true, callee);
        }
        if (receiverStores is not null)
        {
            StoreAll(receiver, receiverStores, passed, callee: callee);
        }
        // What comes back is data derived from the argument (its attributes read, a copy), unless the callee returns the object itself.
        return toReturn is null ? TaintValue.Clean : Returned(passed, toReturn, returnReads ?? TaintOrigin.AnyRead);
    }

    /// <summary>
    /// The part of <paramref name="passed"/> the callee returns, by <paramref name="chain"/>, having read the attributes
    /// <paramref name="reads"/> of it on the way (<see cref="FunctionSummary.ReturnReads"/>; empty: the object itself).
    /// A static map: a closure per call was 3 MB of the stdlib's fixpoint.
    /// </summary>
    private static TaintValue Returned(TaintValue passed, TraceLink chain, string[] reads) =>
        passed.Select((chain, reads), static (o, s) => ReturnedAs(o, s.reads) with { Trace = o.Trace.Splice(s.chain) });

    /// <summary>
    /// What a callee gives back of <paramref name="origin"/> when it read <paramref name="reads"/> on the object: the
    /// object itself when it read nothing; this function's parameter read through those too; a client (<c>conn</c>,
    /// <c>conn.pipeline()</c>) when none of them is one of its reads (<c>kwargs.pop("pipeline")</c>, a tuple holding it);
    /// else data derived from it.
    /// </summary>
    private static TaintOrigin ReturnedAs(TaintOrigin origin, string[] reads) =>
        reads.Length == 0 ? origin
        : origin.Parameter >= 0 ? origin.ReadThroughAll(reads).WithoutAttributes()
        : origin is { Attributes: { } clientReads, HeldIn: null } && !TaintOrigin.ReadsAny(reads, clientReads) ? origin
        : origin.WithoutAttributes();

    /// <summary>
    /// <c>self.request</c> (by attribute: <c>self.request.body</c>) and <c>self.kwargs</c>, <c>self.args</c> in a
    /// method of a view class (docs/taint.md, "Django views"): the framework stores the request and the URL's parts
    /// on the view before it calls the handler.
    /// </summary>
    private TaintValue ViewReceiverData(Semantic.ClassInfo cls, AttributeExpr read)
    {
        if (!_program.Index.IsViewReceiverAttribute(read.Attr) || _program.Index.ViewClassOf(cls, _program.Resolver) is not { } model)
        {
            return TaintValue.Clean;
        }
        var isRequest = model.ReceiverRequest.Contains(read.Attr);
        if (!isRequest && !model.ReceiverData.Contains(read.Attr))
        {
            return TaintValue.Clean;
        }
        var label = "self." + read.Attr;
        var message = $"source ({model.Kind}): {label} of view class {cls.Name}" + (isRequest ? " (its request data)" : "");
        var attributes = isRequest && model.RequestAttributes.Count > 0 ? model.RequestAttributes : null;
        return TaintValue.Of(new TaintOrigin(model.Kind, label, -1, attributes, null, TraceLink.Start(_module, read.Span.Start, message)));
    }
}
