using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// Marks data as verified in the branch where a guard holds: a modelled check such as
    /// <c>hmac.compare_digest(sig, hmac.new(key, payload, ...).digest())</c> verifies every variable in its arguments, and
    /// so does a call to a project function that returns such a check of its parameters (FunctionAnalyzer.Verifiers.cs);
    /// <c>data == b"..."</c> (or <c>in</c> a literal collection) pins the variable to a constant.
    /// <c>not</c> swaps the branches, <c>and</c> verifies in the true branch, <c>or</c> in the false branch.
    /// </summary>
    private void ApplyGuard(Expr test, TaintState whenTrue, TaintState whenFalse)
    {
        switch (test)
        {
            case UnaryOpExpr { Op: UnaryOperator.Not } not:
                ApplyGuard(not.Operand, whenFalse, whenTrue);
                break;
            case BoolOpExpr { Op: BoolOperator.And } and:
                foreach (var value in and.Values)
                {
                    ApplyGuard(value, whenTrue, new TaintState());
                }
                break;
            case BoolOpExpr { Op: BoolOperator.Or } or:
                foreach (var value in or.Values)
                {
                    ApplyGuard(value, new TaintState(), whenFalse);
                }
                break;
            case CallExpr { Args: [var first, var second] } call when _program.Index.CallOf(_module, call)?.Guard is { Effect: SanitizerEffect.Guard }
                && (PinnedDigest(first, second) ?? PinnedDigest(second, first)) is var (hashed, algorithm, hashing):
                // `compare_digest(hashlib.sha256(blob).hexdigest(), EXPECTED)`: a pinned digest, as with `==` below (the
                // keyless hash authenticates nothing by itself: see GuardedData).
                VerifyPinned(hashed, hashing, whenTrue, $"it was verified by comparing its {algorithm} digest with one the program holds (line {Line(call)})");
                break;
            case CallExpr call when _program.Index.CallOf(_module, call)?.Guard is { Effect: SanitizerEffect.Guard } guard:
                VerifyGuarded(call.Args.Concat(call.Keywords.Select(k => k.Value)), whenTrue,
                    $"it was verified by `{Text(call.Func)}` (line {Line(call)}): {guard.Reason}");
                break;
            case CallExpr call when VerifierArguments(call) is { } verified:
                VerifyGuarded(verified, whenTrue, $"it was verified by `{Text(call.Func)}` (line {Line(call)}), which checks an HMAC of it");
                break;
            case CompareExpr { Ops: [CompareOperator.Eq or CompareOperator.NotEq] } compare
                when IsMac(compare.Left) || IsMac(compare.Comparators[0]):
                // `hmac.new(key, payload, ...).digest() == sig`: where it holds, the payload is authenticated (the
                // comparison leaks timing, which compare_digest avoids, but forging a MAC still needs the key).
                VerifyGuarded([IsMac(compare.Left) ? compare.Left : compare.Comparators[0]],
                    compare.Ops[0] == CompareOperator.Eq ? whenTrue : whenFalse,
                    $"it was verified by comparing it with an HMAC (line {Line(compare)}; prefer hmac.compare_digest, which takes constant time)");
                break;
            case CompareExpr { Ops: [CompareOperator.Eq or CompareOperator.NotEq] } compare
                when (PinnedDigest(compare.Left, compare.Comparators[0]) ?? PinnedDigest(compare.Comparators[0], compare.Left)) is var (hashed, algorithm, hashing):
                // `if hashlib.sha256(blob).hexdigest() != EXPECTED: raise`: where it holds, the bytes are the ones the
                // program pinned (a digest it holds, not one that came with the data).
                VerifyPinned(hashed, hashing, compare.Ops[0] == CompareOperator.Eq ? whenTrue : whenFalse,
                    $"it was verified by comparing its {algorithm} digest with one the program holds (line {Line(compare)})");
                break;
            case CompareExpr { Ops: [var op] } compare when op is not (CompareOperator.Lt or CompareOperator.LtE or CompareOperator.Gt or CompareOperator.GtE):
                // `==`, `is`, `in` pin the variable where they hold; `!=`, `is not`, `not in` where they fail
                // (`if name not in ALLOWED: abort(404)` guards what follows).
                var holds = op is CompareOperator.Eq or CompareOperator.Is or CompareOperator.In;
                PinToConstant(compare, op is CompareOperator.In or CompareOperator.NotIn, holds ? whenTrue : whenFalse);
                break;
        }
    }

    /// <summary>Marks the compared variable as program data in <paramref name="pinned"/> when the other side is a constant.</summary>
    private void PinToConstant(CompareExpr compare, bool collection, TaintState pinned)
    {
        var (variable, other) = compare.Left is NameExpr ? (compare.Left as NameExpr, compare.Comparators[0]) : (compare.Comparators[0] as NameExpr, compare.Left);
        if (variable is not null && (IsConstant(other, collection) || collection && NamesConstantCollection(other)) && HoldsTaint(pinned, variable.Id))
        {
            Verify(pinned, variable.Id, $"it was compared with a constant (line {Line(compare)}), so it holds program data there");
        }
    }

    private static bool IsConstant(Expr expr, bool collection) => collection
        ? expr switch
        {
            TupleExpr or ListExpr or SetExpr => Semantic.Displays.ItemsOf(expr)!.All(e => e is ConstantExpr),
            DictExpr d => d.Keys.All(k => k is ConstantExpr), // `in` tests the keys
            CallExpr { Func: NameExpr { Id: "frozenset" or "set" or "tuple" }, Args: [var items], Keywords.Count: 0 } => IsConstant(items, true),
            _ => false,
        }
        : expr is ConstantExpr { Value.Type: not ConstantType.None };

    /// <summary>
    /// An allow-list by name (<c>if name not in ALLOWED: abort()</c>): a name of this function or of the module bound
    /// exactly once, to a literal collection of constants, and never changed in place in the module (no
    /// <c>ALLOWED.add(x)</c>, no <c>ALLOWED[k] = v</c>, in any scope).
    /// </summary>
    private bool NamesConstantCollection(Expr expr) => ConstantCollectionOf(expr) is not null;

    /// <summary>The literal collection a name is bound to once (see <see cref="NamesConstantCollection"/>), else null.</summary>
    private Expr? ConstantCollectionOf(Expr expr) =>
        expr is NameExpr name && ValueBoundOnce(name) is { } value && IsConstant(value, collection: true) && !_module.MutatedNames.Contains(name.Id)
            ? value
            : null;

    /// <summary>
    /// The value a name of this function, or else of the module, is bound to by its only binding, a plain assignment
    /// (<c>ALLOWED = {...}</c>, <c>MODEL = "m.pt"</c>); null for a global or nonlocal declaration or any other binding.
    /// </summary>
    private Expr? ValueBoundOnce(NameExpr name) => ValueBoundOnce(_unit.Scope, name.Id);

    /// <summary>The same for a name read in <paramref name="scope"/> (a call site's, FunctionAnalyzer.PinnedParameters.cs).</summary>
    private static Expr? ValueBoundOnce(Semantic.Scope scope, string name)
    {
        if (scope.IsGlobal(name) || scope.IsNonlocal(name))
        {
            return null;
        }
        var binding = scope.Binds(name) ? scope : scope.Module.ModuleScope;
        return binding.BindingsOf(name) is [{ Kind: Semantic.BindingKind.Assignment, Value: { } value }] ? value : null;
    }

    /// <summary>
    /// Whether verifying <paramref name="name"/> would mark anything: the reason (its line number, its text) is built
    /// only then, since most compared variables hold nothing and guards run on every analysis.
    /// </summary>
    private static bool HoldsTaint(TaintState state, string name) =>
        state.TryGet(name, out var value) && (!value.Whole.IsClean || value.Parts is not null);

    private static void Verify(TaintState state, string name, string reason)
    {
        if (state.TryGet(name, out var value))
        {
            var parts = value.Parts?.Map(part => VerifiedBy(part, reason));
            state.Set(name, new VarTaint(VerifiedBy(value.Whole, reason), parts));
        }
    }

    /// <summary>Marks what <paramref name="checkedExprs"/> verify (<see cref="GuardedData"/>) as verified in <paramref name="state"/>.</summary>
    private void VerifyGuarded(IEnumerable<Expr> checkedExprs, TaintState state, string reason)
    {
        _guardsVerified = true;
        var (names, sources) = GuardedData(checkedExprs);
        foreach (var name in names)
        {
            if (HoldsTaint(state, name))
            {
                Verify(state, name, reason);
            }
            else
            {
                VerifyUnknownLocal(state, name, checkedExprs, reason);
            }
        }
        foreach (var source in sources)
        {
            state.VerifySource(ExactText(source), reason);
        }
    }

    /// <summary>A MAC computation, or a name bound once to one (<see cref="ComputesMac"/>).</summary>
    private bool IsMac(Expr expr) => ComputesMac(expr) || expr is NameExpr name && ValueBoundOnce(name) is { } value && ComputesMac(value);

    /// <summary>
    /// What a check's arguments verify: the variables they name and the source expressions in them
    /// (<c>request.get_data()</c>), following a variable bound once to a MAC computation — <c>mac = hmac.new(key,
    /// payload, ...)</c>, <c>expected = mac.hexdigest()</c> — into what it was computed from, up to 3 bindings deep.
    /// </summary>
    private (List<string> Names, List<Expr> Sources) GuardedData(IEnumerable<Expr> exprs)
    {
        var names = new List<string>();
        var sources = new List<Expr>();
        var pending = new Stack<(Expr Expr, int Depth)>(exprs.Select(e => (e, 0)));
        var count = 0;
        while (pending.Count > 0 && count++ < 256)
        {
            var (expr, depth) = pending.Pop();
            if (IsSourceExpression(expr))
            {
                sources.Add(expr); // not its parts: `request` alone would verify every other read of the request
                if (expr is not NameExpr)
                {
                    continue;
                }
            }
            switch (expr)
            {
                case NameExpr name:
                    // Also when the name resolves to a source (`data = request.data`): the variable is what is read next.
                    names.Add(name.Id);
                    if (depth < 3 && ValueBoundOnce(name) is { } value && ComputesMac(value))
                    {
                        pending.Push((value, depth + 1));
                    }
                    break;
                case CallExpr call when IsKeylessHash(call) || HelperDigest(call) == ReturnedDigest.KeylessHash:
                    break; // anyone can compute it over their own bytes: what it hashes is not authenticated
                case CallExpr call:
                    foreach (var arg in call.Args)
                    {
                        pending.Push((arg, depth));
                    }
                    foreach (var keyword in call.Keywords)
                    {
                        pending.Push((keyword.Value, depth));
                    }
                    pending.Push((call.Func, depth));
                    break;
                case AttributeExpr attribute:
                    pending.Push((attribute.Value, depth));
                    break;
                case StarredExpr starred:
                    pending.Push((starred.Value, depth));
                    break;
            }
        }
        return (names, sources);
    }

    /// <summary>
    /// <c>hmac.new(...)</c>, <c>hmac.HMAC(...)</c>, <c>hmac.digest(...)</c>, or the digest of one
    /// (<c>hmac.new(...).hexdigest()</c>, <c>mac.digest()</c> with <c>mac</c> bound once to one) — not a plain hash,
    /// which anyone can compute.
    /// </summary>
    private bool ComputesMac(Expr value) => value is CallExpr call && call.Func switch
    {
        AttributeExpr { Attr: "new" or "HMAC" or "digest", Value: NameExpr { Id: "hmac" } } => true,
        AttributeExpr { Attr: "hexdigest" or "digest", Value: CallExpr inner } => ComputesMac(inner),
        AttributeExpr { Attr: "hexdigest" or "digest", Value: NameExpr mac } => ValueBoundOnce(mac) is CallExpr made && ComputesMac(made),
        _ => HelperDigest(call) == ReturnedDigest.Mac,
    };

    /// <summary>
    /// What the one project function <paramref name="call"/> calls returns to a guard: horovod's <c>compute_digest(key,
    /// message)</c> returning <c>hmac.new(key, message, sha256).digest()</c> an HMAC, whose arguments are what the MAC
    /// covers; <c>def digest(m): return hashlib.sha256(m).hexdigest()</c> a keyless hash, which covers nothing.
    /// </summary>
    private ReturnedDigest HelperDigest(CallExpr call) =>
        _program.Index.CallOf(_module, call) is { Functions: [var (unit, _)] } ? DigestReturnedBy(unit) : ReturnedDigest.Other;

    /// <summary>What every <c>return</c> of the project function <paramref name="unit"/> gives (<see cref="HelperDigest"/>).</summary>
    private ReturnedDigest DigestReturnedBy(TaintUnit unit)
    {
        if (unit.ReturnedDigest is { } known)
        {
            return known;
        }
        var inProgress = _digestHelpersInProgress ??= [];
        if (inProgress.Count >= MaxDigestHelperDepth || !inProgress.Add(unit))
        {
            // A helper reached again through its own calls returns nothing known through that call; past the depth
            // bound nothing is followed. No answer of a lookup that met either is remembered, so an answer never
            // depends on who asked first (such helpers are rare: they are looked at again when asked again).
            _digestLookupCut = true;
            return ReturnedDigest.Other;
        }
        try
        {
            var returned = unit.Function is not null && unit.LambdaBody is null
                ? new FunctionAnalyzer(_program, unit).DigestOfEveryReturn()
                : ReturnedDigest.Other;
            if (!_digestLookupCut)
            {
                unit.ReturnedDigest = returned; // written once computed: another thread never sees a placeholder
            }
            return returned;
        }
        finally
        {
            inProgress.Remove(unit);
            if (inProgress.Count == 0)
            {
                _digestLookupCut = false;
            }
        }
    }

    private const int MaxDigestHelperDepth = 8;

    /// <summary>The helpers this thread's <see cref="HelperDigest"/> lookups are inside (each makes an analyzer of its own).</summary>
    [ThreadStatic]
    private static HashSet<TaintUnit>? _digestHelpersInProgress;

    /// <summary>Whether the current outermost lookup met a cycle or the depth bound (its inner answers are not kept).</summary>
    [ThreadStatic]
    private static bool _digestLookupCut;

    /// <summary>The kind every <c>return</c> of this function gives, when they all give the same one and there is one.</summary>
    private ReturnedDigest DigestOfEveryReturn()
    {
        ReturnedDigest? every = null;
        foreach (var statement in ReturnCollector.Of(_unit.Body))
        {
            var returned = statement.Value switch
            {
                null => ReturnedDigest.Other,
                var value when IsMac(value) => ReturnedDigest.Mac,
                var value when IsKeylessDigest(value, 0) => ReturnedDigest.KeylessHash,
                _ => ReturnedDigest.Other,
            };
            if (every is { } kind && kind != returned || returned == ReturnedDigest.Other)
            {
                return ReturnedDigest.Other;
            }
            every = returned;
        }
        return every ?? ReturnedDigest.Other;
    }

    /// <summary>
    /// A keyless hash (<see cref="IsKeylessHash"/>) or its digest, through names bound once (<c>h = hashlib.sha256();
    /// h.update(m); h.hexdigest()</c>) and helpers returning one (<c>plain_hash(m).digest()</c>), up to 3 names deep;
    /// also the digest as text or bytes (MONAI's <c>pickle_hashing</c>: <c>f"{cache_key}".encode()</c>, its
    /// <c>cache_key</c> set to <c>""</c> first, then to an MD5 hex digest in each branch).
    /// </summary>
    private bool IsKeylessDigest(Expr expr, int depth) => expr switch
    {
        CallExpr call when IsKeylessHash(call) => true,
        CallExpr { Func: AttributeExpr { Attr: "hexdigest" or "digest", Value: var hash } } => IsKeylessDigest(hash, depth),
        CallExpr { Func: AttributeExpr { Attr: "encode" or "decode" or "lower" or "upper", Value: var text } } => IsKeylessDigest(text, depth),
        CallExpr call => HelperDigest(call) == ReturnedDigest.KeylessHash,
        JoinedStrExpr joined => joined.Values.OfType<FormattedValueExpr>().Any() && joined.Values.All(part => part switch
        {
            ConstantExpr => true,
            FormattedValueExpr { FormatSpec: null } formatted => IsKeylessDigest(formatted.Value, depth),
            _ => false,
        }),
        NameExpr name => depth < 3 && (ValueBoundOnce(name) is { } value ? IsKeylessDigest(value, depth + 1) : IsDigestOrLiteral(name, depth + 1)),
        _ => false,
    };

    /// <summary>
    /// A local every binding of which is an assignment of a keyless digest or of a literal, one of them a digest
    /// (<c>cache_key = ""</c>, then <c>cache_key = hashlib.md5(b).hexdigest()</c>): a literal holds no input either.
    /// </summary>
    private bool IsDigestOrLiteral(NameExpr name, int depth)
    {
        if (!_unit.Scope.Binds(name.Id) || _unit.Scope.IsGlobal(name.Id) || _unit.Scope.IsNonlocal(name.Id))
        {
            return false;
        }
        var digests = 0;
        foreach (var binding in _unit.Scope.BindingsOf(name.Id))
        {
            if (binding is not { Kind: Semantic.BindingKind.Assignment, Augments: false, Value: { } value })
            {
                return false;
            }
            if (value is ConstantExpr)
            {
                continue;
            }
            if (!IsKeylessDigest(value, depth))
            {
                return false;
            }
            digests++;
        }
        return digests > 0;
    }

    /// <summary>The hashlib constructors (also imported by name: <c>from hashlib import sha256</c>).</summary>
    private static readonly HashSet<string> HashConstructors = new(StringComparer.Ordinal)
    {
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384", "sha3_512",
        "shake_128", "shake_256", "blake2b", "blake2s", "new",
    };

    /// <summary>
    /// A hash computed without a key (<c>hashlib.sha256(m)</c>, <c>hashlib.new("sha256", m)</c>, <c>sha256(m)</c>):
    /// comparing it with a digest that came with the data proves nothing, since whoever sends the bytes can hash them.
    /// BLAKE2 given a <c>key=</c> is a MAC. A secret mixed into the input (<c>sha256(KEY + m)</c>) is not taken as one:
    /// the key cannot be told from a public salt, and SHA-2 prefix keys allow length extension — use hmac.
    /// </summary>
    private static bool IsKeylessHash(CallExpr call)
    {
        var name = call.Func switch
        {
            AttributeExpr { Attr: var attribute, Value: NameExpr { Id: "hashlib" } } => attribute,
            NameExpr { Id: var id } when id != "new" => id,
            _ => null,
        };
        return name is not null && HashConstructors.Contains(name) && !call.Keywords.Any(k => k.Arg == "key");
    }

    /// <summary>Hash functions without known second-preimage attacks: a digest of one pins the bytes.</summary>
    private static readonly HashSet<string> PinningHashes = new(StringComparer.Ordinal)
    {
        "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s",
    };

    /// <summary>
    /// The bytes <paramref name="digest"/> hashes and the algorithm, when it is a hashlib digest (<c>hashlib.sha256(b).hexdigest()</c>,
    /// <c>hashlib.new("sha256", b).digest()</c>, a name bound once to one, its <c>.lower()</c>) and <paramref name="expected"/> is data
    /// the program holds: a literal, a name bound once to one, or a variable holding no outside data here.
    /// </summary>
    private (Expr Hashed, string Algorithm, CallExpr Hashing)? PinnedDigest(Expr digest, Expr expected)
    {
        if (digest is CallExpr { Func: AttributeExpr { Attr: "lower" or "upper" or "strip", Value: var text }, Args.Count: 0 })
        {
            digest = text;
        }
        if (digest is NameExpr bound && ValueBoundOnce(bound) is { } value)
        {
            digest = value;
        }
        if (digest is not CallExpr { Func: AttributeExpr { Attr: "hexdigest" or "digest", Value: CallExpr hashing }, Args.Count: 0 }
            || HashedBytes(hashing) is not var (hashed, algorithm) || !HeldByProgram(expected))
        {
            return null;
        }
        return (hashed, algorithm, hashing);
    }

    private static (Expr Hashed, string Algorithm)? HashedBytes(CallExpr hashing) => hashing switch
    {
        { Func: AttributeExpr { Attr: var name, Value: NameExpr { Id: "hashlib" } }, Args: [var data, ..] } when PinningHashes.Contains(name) => (data, name),
        { Func: NameExpr { Id: var name }, Args: [var data, ..] } when PinningHashes.Contains(name) => (data, name), // `from hashlib import sha256`
        { Func: AttributeExpr { Attr: "new", Value: NameExpr { Id: "hashlib" } }, Args: [ConstantExpr { Value.AsString: { } name }, var data, ..] }
            when PinningHashes.Contains(name.ToLowerInvariant().Replace('-', '_')) => (data, name),
        _ => null,
    };

    /// <summary>
    /// A literal, a name bound once to one, a local holding no outside data, or data every caller pins
    /// (<see cref="FromPinnedParameters"/>); <c>.lower()</c>, <c>.strip()</c> and <c>bytes.fromhex()</c> of those too.
    /// </summary>
    private bool HeldByProgram(Expr expected) => expected switch
    {
        ConstantExpr { Value.Type: ConstantType.Str or ConstantType.Bytes } => true,
        NameExpr name => ValueBoundOnce(name) is { } value ? value is ConstantExpr || IsLocal(name.Id) && (!HoldsTaint(_state, name.Id) || FromPinnedParameters(value, 0))
            : IsLocal(name.Id) && (!HoldsTaint(_state, name.Id) || FromPinnedParameters(name, 0)),
        CallExpr { Func: AttributeExpr { Attr: "lower" or "upper" or "strip", Value: var text }, Args.Count: 0 } => HeldByProgram(text),
        CallExpr { Func: AttributeExpr { Attr: "fromhex", Value: NameExpr { Id: "bytes" } }, Args: [var hex] } => HeldByProgram(hex),
        _ => FromPinnedParameters(expected, 0),
    };

    private bool IsSourceExpression(Expr expr) => expr switch
    {
        NameExpr or AttributeExpr => _program.SourceOf(expr, _unit.Scope) is not null,
        CallExpr call => _program.Index.CallOf(_module, call)?.Source is not null,
        _ => false,
    };

    /// <summary>A source read again where a guard verified the same expression (<see cref="TaintState.VerifiedSource"/>).</summary>
    private TaintValue VerifiedIfChecked(TaintValue value, Node at)
    {
        if (!_state.HasVerifiedSources || at is not Expr || _state.VerifiedSource(ExactText(at)) is not { } reason)
        {
            return value;
        }
        return VerifiedBy(value, reason);
    }

    /// <summary>
    /// Every origin of <paramref name="value"/> marked verified by <paramref name="reason"/> (unless it already was), by a
    /// static map: a lambda capturing <paramref name="reason"/> would make a closure per call.
    /// </summary>
    private static TaintValue VerifiedBy(TaintValue value, string reason) => value.Select(reason, static (o, reason) => o.VerifiedBy(reason));
}
