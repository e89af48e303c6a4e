using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    private void ExecBlock(IReadOnlyList<Stmt> body)
    {
        for (var i = 0; i < body.Count; i++)
        {
            var statement = body[i];
            if (!_state.Reachable || OverBudget())
            {
                return;
            }
            Exec(statement);
        }
    }

    private void Exec(Stmt statement)
    {
        switch (statement)
        {
            case ExprStmt e:
                Eval(e.Value);
                break;
            case AssignStmt { Targets: [NameExpr], Value: DictExpr } a when TryAssignDictDisplay(a.Targets[0], a.Value):
                break;
            case AnnAssignStmt { Target: NameExpr, Value: DictExpr display } ann when TryAssignDictDisplay(ann.Target, display):
                break;
            case AssignStmt { Targets: [AttributeExpr { Value: NameExpr owner } holder], Value: CallExpr made }:
                AssignConstructed(holder, owner, made);
                break;
            case AssignStmt a:
                var constructed = BeginConstruction(a.Targets.Count == 1 ? a.Targets[0] : null, a.Value);
                var value = Eval(a.Value);
                for (var i = 0; i < a.Targets.Count; i++)
                {
                    var target = a.Targets[i];
                    Assign(target, a.Value, value);
                }
                EndConstruction(constructed);
                break;
            case AnnAssignStmt { Value: { } annotated } ann:
                var annotatedConstruction = BeginConstruction(ann.Target, annotated);
                Assign(ann.Target, annotated, Eval(annotated));
                EndConstruction(annotatedConstruction);
                break;
            case AugAssignStmt aug:
                Assign(aug.Target, null, Eval(aug.Target).Join(Eval(aug.Value)));
                break;
            case ReturnStmt r:
                if (r.Value is CallExpr or NameExpr && _unit.FreshClass is not null)
                {
                    ReturnFresh(r, r.Value);
                }
                else if (r.Value is TupleExpr tuple && _unit.ReturnArity == tuple.Elts.Count)
                {
                    ReturnTuple(tuple, r, "returned");
                }
                else if (r.Value is DictExpr dict && _unit.ReturnedKeys.Length > 0)
                {
                    ReturnDict(dict, r);
                }
                else if (r.Value is not null)
                {
                    Return(Eval(r.Value).Join(SavedAtReturnedPath(r.Value, r)), r, "returned");
                }
                NoteExit();
                _state.MarkUnreachable();
                break;
            case RaiseStmt raise:
                if (raise.Exc is not null)
                {
                    Eval(raise.Exc);
                }
                _state.MarkUnreachable();
                break;
            case ContinueStmt when _loopDepth > 0:
                _continued = Kept(_continued, _state);
                _state.MarkUnreachable();
                break;
            case BreakStmt when _loopDepth > 0:
                _broken = Kept(_broken, _state);
                _state.MarkUnreachable();
                break;
            case IfStmt s:
                ExecIf(s);
                break;
            case ForStmt f:
                ExecLoop(f.Target, f.Iter, f.Body, f.Orelse);
                break;
            case AsyncForStmt f:
                ExecLoop(f.Target, f.Iter, f.Body, f.Orelse);
                break;
            case WhileStmt w:
                ExecWhile(w);
                break;
            case WithStmt w:
                ExecWith(w.Items, w.Body);
                break;
            case AsyncWithStmt w:
                ExecWith(w.Items, w.Body);
                break;
            case TryStmt t:
                ExecTry(t.Body, t.Handlers, t.Orelse, t.Finalbody);
                break;
            case TryStarStmt t:
                ExecTry(t.Body, t.Handlers, t.Orelse, t.Finalbody);
                break;
            case MatchStmt m:
                ExecMatch(m);
                break;
            case AssertStmt assert:
                Eval(assert.Test);
                if (assert.Msg is not null)
                {
                    Eval(assert.Msg); // runs when the test fails
                }
                break;
            case DeleteStmt delete:
                for (var i = 0; i < delete.Targets.Count; i++)
                {
                    var target = delete.Targets[i];
                    if (target is NameExpr name)
                    {
                        _state.Set(name.Id, VarTaint.Clean);
                    }
                }
                break;
            // Nested defs and classes are analysed as their own units; imports carry no data.
        }
    }

    /// <summary>
    /// Loops run a second pass (for taint fed back into the loop's variables) only when nested at most two deep:
    /// deeper nests would multiply the work by two per level.
    /// </summary>
    private int Passes => _loopDepth <= 2 ? 2 : 1;

    private void ExecIf(IfStmt s)
    {
        switch (ConstantTruth(s.Test))
        {
            case true:
                ExecBlock(s.Body);
                return;
            case false:
                ExecBlock(s.Orelse);
                return;
        }
        Eval(s.Test);
        // The state before the test is this statement's own: the body runs on it, the other branch on a copy.
        var whenFalse = _state.Copy();
        ApplyGuard(s.Test, _state, whenFalse);
        var existing = ExistenceChecked(s.Test);
        if (existing is not null)
        {
            (_existingPaths ??= []).Add(existing);
        }
        ExecBlock(s.Body);
        if (existing is not null)
        {
            _existingPaths!.RemoveAt(_existingPaths.Count - 1);
        }
        var afterBody = _state;
        _state = whenFalse;
        ExecBlock(s.Orelse);
        // The branches' states are this statement's own: joined in place.
        afterBody.JoinWith(_state);
        _state = afterBody;
    }

    private void ExecLoop(Expr target, Expr iterable, IReadOnlyList<Stmt> body, IReadOnlyList<Stmt> orelse)
    {
        var items = Eval(iterable);
        // Stepped once: both passes assign the same items.
        var iterated = items.IsClean ? items : items.Step(_module, target.Span.Start, StepText.Quoting("iterated into", target));
        var before = _state.Copy();
        var outer = EnterLoop();
        for (var pass = 0; pass < Passes; pass++)
        {
            var weight = before.Weight();
            AssignIterated(target, iterable, iterated);
            ExecBlock(body);
            EndIteration();
            before.JoinWith(_state);
            _state = before;
            if (_state.Weight() == weight)
            {
                break; // a second pass only matters when the body fed taint back into the loop's variables
            }
            before = _state.Copy();
        }
        var broken = LeaveLoop(outer);
        ExecBlock(orelse);
        JoinBroken(broken);
    }

    /// <summary>
    /// The states at the <c>continue</c> and <c>break</c> statements of the loop being analysed (null: none met yet).
    /// Each ends its branch as <c>return</c> does — <c>if blob == b"": continue</c> pins <c>blob</c> only where the
    /// branch runs, and the code after the <c>if</c> sees the other branch alone — but its state goes on: a
    /// <c>continue</c>'s to the end of the iteration (the next one and the code after the loop), a <c>break</c>'s to
    /// the code after the loop, past its <c>else</c>.
    /// </summary>
    private TaintState? _continued;

    /// <inheritdoc cref="_continued"/>
    private TaintState? _broken;

    /// <summary>The state <paramref name="state"/> joined into <paramref name="kept"/>, or a copy of it when none is kept yet.</summary>
    private static TaintState Kept(TaintState? kept, TaintState state)
    {
        if (kept is null)
        {
            return state.Copy();
        }
        kept.JoinWith(state);
        return kept;
    }

    /// <summary>Starts a loop's body: its own <c>continue</c> and <c>break</c> states; returns the enclosing loop's.</summary>
    private (TaintState? Continued, TaintState? Broken) EnterLoop()
    {
        var outer = (_continued, _broken);
        (_continued, _broken) = (null, null);
        _loopDepth++;
        return outer;
    }

    /// <summary>The end of one pass over a loop's body, where the <c>continue</c> statements' states arrive too.</summary>
    private void EndIteration()
    {
        if (_continued is { } continued)
        {
            _state.JoinWith(continued);
            _continued = null;
        }
    }

    /// <summary>Ends a loop's body: the enclosing loop's states back; returns the joined state of this loop's <c>break</c> statements.</summary>
    private TaintState? LeaveLoop((TaintState? Continued, TaintState? Broken) outer)
    {
        _loopDepth--;
        var broken = _broken;
        (_continued, _broken) = outer;
        return broken;
    }

    /// <summary>After a loop and its <c>else</c> block: a <c>break</c> skipped the <c>else</c> and arrives here.</summary>
    private void JoinBroken(TaintState? broken)
    {
        if (broken is not null)
        {
            _state.JoinWith(broken);
        }
    }

    /// <summary>A loop's target: unpacking the tuples a project generator yields gives each name its element (<see cref="ReturnedTuples"/>).</summary>
    private void AssignIterated(Expr target, Expr iterable, TaintValue item)
    {
        var elements = target switch
        {
            TupleExpr tuple => tuple.Elts,
            ListExpr list => list.Elts,
            _ => null,
        };
        var clean = elements is null || item.IsClean ? 0 : CleanReturnElements(iterable, elements.Count, iterated: true);
        if (clean == 0)
        {
            Assign(target, null, item);
            return;
        }
        for (var i = 0; i < elements!.Count; i++)
        {
            Assign(elements[i], null, (clean & (1UL << i)) != 0 ? TaintValue.Clean : item);
        }
    }

    private void ExecWhile(WhileStmt w)
    {
        if (ConstantTruth(w.Test) == false)
        {
            ExecBlock(w.Orelse);
            return;
        }
        var before = _state.Copy();
        var outer = EnterLoop();
        for (var pass = 0; pass < Passes; pass++)
        {
            var weight = before.Weight();
            Eval(w.Test);
            ExecBlock(w.Body);
            EndIteration();
            before.JoinWith(_state);
            _state = before;
            if (_state.Weight() == weight)
            {
                break;
            }
            before = _state.Copy();
        }
        var broken = LeaveLoop(outer);
        ExecBlock(w.Orelse);
        JoinBroken(broken);
    }

    private void ExecWith(IReadOnlyList<WithItem> items, IReadOnlyList<Stmt> body)
    {
        var suppresses = false;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var value = Eval(item.ContextExpr);
            suppresses |= item.ContextExpr is CallExpr { Func: NameExpr { Id: "suppress" } or AttributeExpr { Attr: "suppress" } };
            if (item.OptionalVars is { } target)
            {
                Assign(target, null, value);
                if (target is NameExpr handle)
                {
                    BindWriteHandle(handle.Id, item.ContextExpr);
                }
            }
        }
        if (!suppresses)
        {
            ExecBlock(body);
            return;
        }
        // `with contextlib.suppress(E): return decode(x)`: an exception anywhere in the body skips the rest of it,
        // and the code after the block runs (flask-session's serializer tries decoders in turn this way).
        var before = _state.Copy();
        ExecBlock(body);
        before.JoinWith(_state);
        _state = before;
    }

    private void ExecTry(IReadOnlyList<Stmt> body, IReadOnlyList<ExceptHandler> handlers, IReadOnlyList<Stmt> orelse, IReadOnlyList<Stmt> finalbody)
    {
        var before = _state.Copy();
        ExecBlock(body);
        var afterBody = _state;
        // A handler may start anywhere in the body: from the join of the states before and after it.
        before.JoinWith(afterBody);
        var handlerStart = before;
        // The join kept afterBody's tables, not the state itself (shared tables are copied on the first write): the
        // else block runs on it.
        _state = afterBody;
        ExecBlock(orelse);
        var result = _state;
        for (var i = 0; i < handlers.Count; i++)
        {
            var handler = handlers[i];
            _state = handlerStart.Copy();
            if (handler.Name is { } name)
            {
                _state.Set(name, VarTaint.Clean);
            }
            ExecBlock(handler.Body);
            result.JoinWith(_state);
        }
        if (finalbody.Count > 0)
        {
            // The finally block also runs after an exit from the body; its own effects apply to what follows.
            _state = result.Reachable ? result : TaintState.Join(handlerStart, result);
            var reachable = result.Reachable;
            ExecBlock(finalbody);
            if (!reachable)
            {
                _state.MarkUnreachable();
            }
            return;
        }
        _state = result;
    }

    private void ExecMatch(MatchStmt m)
    {
        var value = Eval(m.Subject);
        var subject = m.Subject is NameExpr name && _state.TryGet(name.Id, out var local) ? local : new VarTaint(value, null);
        var before = _state.Copy();
        TaintState? result = null;
        for (var i = 0; i < m.Cases.Count; i++)
        {
            var @case = m.Cases[i];
            _state = before.Copy();
            var captures = new Dictionary<string, (TaintValue Value, Pattern At)>(StringComparer.Ordinal);
            CapturesOf(@case.Pattern, subject, captures);
            foreach (var (captured, (taint, at)) in captures)
            {
                Capture(captured, taint, at);
            }
            if (@case.Guard is not null)
            {
                Eval(@case.Guard);
            }
            ExecBlock(@case.Body);
            if (result is null)
            {
                result = _state;
            }
            else
            {
                result.JoinWith(_state);
            }
        }
        result?.JoinWith(before);
        _state = result ?? before;
    }

    /// <summary>
    /// What each capture name of a <c>case</c> pattern takes from the subject (<c>case {"blob": blob}</c>,
    /// <c>case [first, *rest]</c>, <c>case Job(data=d)</c>): a mapping's value under a constant key and a class
    /// pattern's keyword attribute are that part of the subject when it has one, anything else the subject's items
    /// or the whole subject; the alternatives of <c>|</c> join what they bind.
    /// </summary>
    private void CapturesOf(Pattern pattern, VarTaint subject, Dictionary<string, (TaintValue Value, Pattern At)> captures)
    {
        void Add(string name, TaintValue value, Pattern at) =>
            captures[name] = captures.TryGetValue(name, out var old) ? (old.Value.Join(value), old.At) : (value, at);
        switch (pattern)
        {
            case MatchAsPattern capture:
                if (capture.Pattern is { } inner)
                {
                    CapturesOf(inner, subject, captures);
                }
                if (capture.Name is { } name)
                {
                    Add(name, subject.All(), capture);
                }
                break;
            case MatchStarPattern { Name: { } rest } star:
                Add(rest, subject.All(), star);
                break;
            case MatchSequencePattern sequence:
                var items = new VarTaint(subject.WithoutAttributes(), null);
                foreach (var element in sequence.Patterns)
                {
                    CapturesOf(element, items, captures);
                }
                break;
            case MatchMappingPattern mapping:
                for (var i = 0; i < mapping.Keys.Count; i++)
                {
                    var key = ConstantKey(mapping.Keys[i]);
                    CapturesOf(mapping.Patterns[i], new VarTaint(key is null ? subject.WithoutAttributes() : subject.Part(key), null), captures);
                }
                if (mapping.Rest is { } others)
                {
                    Add(others, subject.WithoutAttributes(), mapping);
                }
                break;
            case MatchClassPattern instance:
                foreach (var positional in instance.Patterns)
                {
                    CapturesOf(positional, new VarTaint(subject.All(), null), captures);
                }
                for (var i = 0; i < instance.KwdAttrs.Count; i++)
                {
                    var part = "." + instance.KwdAttrs[i];
                    CapturesOf(instance.KwdPatterns[i], new VarTaint(subject.HasPart(part) ? subject.Part(part) : subject.All(), null), captures);
                }
                break;
            case MatchOrPattern alternatives:
                foreach (var alternative in alternatives.Patterns)
                {
                    CapturesOf(alternative, subject, captures);
                }
                break;
            case MatchValuePattern constant:
                Eval(constant.Value);
                break;
        }
    }

    /// <summary>A <c>case</c> capture: the name holds what the pattern took from the subject.</summary>
    private void Capture(string name, TaintValue value, Pattern at)
    {
        var stepped = value.IsClean ? value : value.Step(_module, at.Span.Start, $"captured as '{name}'");
        _state.Set(name, stepped.IsClean ? VarTaint.Clean : new VarTaint(stepped, null));
        if (_unit.Scope.IsGlobal(name) || _unit.Scope.IsNonlocal(name))
        {
            _program.WriteGlobal(new GlobalKey(OwnerScope(name), name), stepped);
        }
    }

    /// <summary>
    /// True or false when a condition is a constant the analysis can fold (<c>if False:</c>, <c>if 0:</c>,
    /// <c>if TYPE_CHECKING:</c>, which is false at run time, a module flag bound once to a literal), else null.
    /// </summary>
    private bool? ConstantTruth(Expr test) => LiteralConditions.Truth(test) ?? test switch
    {
        NameExpr name when ModuleConstant(name) is { } constant => ConstantTruth(constant),
        AttributeExpr { Value: NameExpr module } flag when ImportedConstant(module.Id, flag.Attr) is { } constant => ConstantTruth(constant),
        UnaryOpExpr { Op: UnaryOperator.Not } not => ConstantTruth(not.Operand) is { } inner ? !inner : null,
        _ => null,
    };

    /// <summary>
    /// The literal a module-level flag is bound to (<c>DEBUG = False</c>, <see cref="FlagOf"/>), also one imported from
    /// the scanned module that binds it (<c>from settings import DEBUG</c>); else null.
    /// </summary>
    private ConstantExpr? ModuleConstant(NameExpr name) =>
        _unit.Scope.ScopeBinding(name.Id) is { Kind: ScopeKind.Module } scope
            ? FlagOf(scope, name.Id) ?? (_program.ImportTarget(scope, name.Id) is { Module: { } module, Variable: { Length: > 0 } variable } ? FlagOf(module.ModuleScope, variable) : null)
            : null;

    /// <summary>
    /// <c>settings.DEBUG</c> where <c>settings</c> is a scanned module imported at module level (<c>import settings</c>)
    /// and <c>DEBUG</c> a flag of it (<see cref="FlagOf"/>); else null.
    /// </summary>
    private ConstantExpr? ImportedConstant(string module, string attribute) =>
        _unit.Scope.ScopeBinding(module) is { Kind: ScopeKind.Module } scope
        && _program.ImportTarget(scope, module) is { Module: { } imported, Variable.Length: 0 }
            ? FlagOf(imported.ModuleScope, attribute)
            : null;

    /// <summary>
    /// The literal <paramref name="name"/> is bound to in the module scope <paramref name="scope"/> when that is its only
    /// binding there (no other assignment, no <c>global</c> store) and no code stores an attribute of that name anywhere
    /// (<c>settings.DEBUG = True</c> from another module); else null.
    /// </summary>
    private ConstantExpr? FlagOf(Scope scope, string name) =>
        scope.BindingsOf(name) is [{ Kind: BindingKind.Assignment, Value: ConstantExpr constant }]
        && _program.Index.Project.AttributeStoresOf(name).Count == 0
            ? constant
            : null;
}
