using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// One pass over a module's tree that creates scopes, records every binding with the blocks enclosing it, and
/// collects call sites, imports, classes and functions. Nesting deeper than <see cref="MaxDepth"/> is not
/// descended into (a pathological tree must not overflow the stack).
/// </summary>
internal sealed partial class Binder : AstWalker
{
    private const int MaxDepth = 200;

    private readonly ModuleModel _module;
    // The call sites gather in a list kept by the thread from module to module (taken while a binder uses it), and end
    // in an array of their exact number: a list grown by doubling for each module allocated about three times that.
    [ThreadStatic]
    private static List<CallSite>? _spareCalls;
    private readonly List<CallSite> _pendingCalls;
    // The same for the tables of classes and functions, which end in tables of their exact size: grown by doubling,
    // a module's table of functions allocated about three times its entries.
    [ThreadStatic]
    private static Dictionary<ClassDefStmt, ClassInfo>? _spareClasses;
    [ThreadStatic]
    private static Dictionary<Node, FunctionInfo>? _spareFunctions;
    private readonly Dictionary<ClassDefStmt, ClassInfo> _classes;
    private readonly Dictionary<Node, FunctionInfo> _functions;
    private readonly List<ImportSite> _imports = [];
    private readonly List<Binding> _attributeStores = [];
    private readonly Dictionary<string, List<Binding>> _tableEntries = new(StringComparer.Ordinal);
    private Scope _scope = null!;
    private BlockPath _blocks = null!;
    private FunctionInfo? _function;
    // Where the code now walked records what it reads and writes (see CodeFootprint), and the name of its receiver.
    private CodeFootprint _footprint = null!;
    private string? _receiver;
    // The returns of the functions being walked, the innermost's from _returnsStart on: each function's end in an
    // array of their exact number (most functions have none or one; a list each allocated four slots and the list).
    private readonly List<(Expr? Value, BlockPath Blocks)> _pendingReturns = [];
    private int _returnsStart;
    private int _nextBlockId;
    private int _depth;
    // IsReceiver as a delegate, made once: a method group converted at each call expression allocates a new one.
    private readonly Func<Expr, bool> _isReceiver;

    public Binder(ModuleModel module)
    {
        _module = module;
        _isReceiver = IsReceiver;
        _pendingCalls = _spareCalls ?? [];
        _spareCalls = null;
        _classes = _spareClasses ?? [];
        _spareClasses = null;
        _functions = _spareFunctions ?? [];
        _spareFunctions = null;
    }

    public Scope ModuleScope { get; private set; } = null!;

    /// <summary>The call sites, in the order walked (once <see cref="Bind"/> is done).</summary>
    public CallSite[] Calls { get; private set; } = [];

    public List<ImportSite> Imports => _imports;

    /// <summary>The classes, in the order walked (once <see cref="Bind"/> is done).</summary>
    public Dictionary<ClassDefStmt, ClassInfo> Classes { get; private set; } = [];

    /// <summary>The functions and lambdas, in the order their walk ended (once <see cref="Bind"/> is done).</summary>
    public Dictionary<Node, FunctionInfo> Functions { get; private set; } = [];

    public List<Binding> AttributeStores => _attributeStores;

    public Dictionary<string, List<Binding>> TableEntries => _tableEntries;

    /// <summary>The footprint of the module's top level (class bodies at module level included).</summary>
    public CodeFootprint TopLevelFootprint { get; } = new();

    public void Bind(ModuleNode node)
    {
        _blocks = BlockPath.Root(_nextBlockId++);
        ModuleScope = _scope = new Scope(ScopeKind.Module, node, null, _module, _blocks);
        _footprint = TopLevelFootprint;
        WalkBlock(node.Body, newBlock: false);
        ModuleScope.Seal();
        Calls = [.. _pendingCalls];
        _pendingCalls.Clear();
        _spareCalls = _pendingCalls;
        // Copied in insertion order (a cleared table reuses its entries from the first).
        Classes = new Dictionary<ClassDefStmt, ClassInfo>(_classes);
        _classes.Clear();
        _spareClasses = _classes;
        Functions = new Dictionary<Node, FunctionInfo>(_functions);
        _functions.Clear();
        _spareFunctions = _functions;
    }

    public override void VisitModuleNode(ModuleNode node) => WalkBlock(node.Body, newBlock: false);

    private void WalkBlock(IReadOnlyList<Stmt> statements, bool newBlock = true, bool dead = false)
    {
        if (_depth > MaxDepth)
        {
            return;
        }
        if (newBlock && statements.Count == 0)
        {
            // An empty block (most often a missing else) binds and calls nothing: it keeps its number, not a BlockPath.
            _nextBlockId++;
            return;
        }
        var saved = _blocks;
        if (newBlock)
        {
            _blocks = _blocks.Push(_nextBlockId++, dead);
        }
        _depth++;
        // Index loops here and below: a foreach over an IReadOnlyList allocates an enumerator per block. The parser's
        // lists are arrays, walked without interface calls.
        if (statements is Stmt[] array)
        {
            foreach (var statement in array)
            {
                statement.Accept(this);
            }
        }
        else
        {
            for (var i = 0; i < statements.Count; i++)
            {
                statements[i].Accept(this);
            }
        }
        _depth--;
        _blocks = saved;
    }

    private void WalkExpr(Expr? expr)
    {
        if (expr is null || _depth > MaxDepth)
        {
            return;
        }
        _depth++;
        expr.Accept(this);
        _depth--;
    }

    private void WalkExprs(IReadOnlyList<Expr> exprs)
    {
        if (exprs is Expr[] array)
        {
            foreach (var expr in array)
            {
                WalkExpr(expr);
            }
            return;
        }
        for (var i = 0; i < exprs.Count; i++)
        {
            WalkExpr(exprs[i]);
        }
    }

    public override void VisitIfStmt(IfStmt node)
    {
        WalkExpr(node.Test);
        var truth = LiteralConditions.Truth(node.Test);
        WalkBlock(node.Body, dead: truth == false);
        WalkBlock(node.Orelse, dead: truth == true);
    }

    public override void VisitWhileStmt(WhileStmt node)
    {
        WalkExpr(node.Test);
        WalkBlock(node.Body);
        WalkBlock(node.Orelse);
    }

    public override void VisitForStmt(ForStmt node) => VisitFor(node.Target, node.Iter, node.Body, node.Orelse);

    public override void VisitAsyncForStmt(AsyncForStmt node) => VisitFor(node.Target, node.Iter, node.Body, node.Orelse);

    private void VisitFor(Expr target, Expr iter, IReadOnlyList<Stmt> body, IReadOnlyList<Stmt> orelse)
    {
        WalkExpr(iter);
        var saved = _blocks;
        _blocks = _blocks.Push(_nextBlockId++);
        BindTarget(target, iter, BindingKind.ForTarget, target.Span.End);
        WalkExpr(target);
        WalkBlock(body, newBlock: false);
        _blocks = saved;
        WalkBlock(orelse);
    }

    public override void VisitWithStmt(WithStmt node) => VisitWith(node.Items, node.Body);

    public override void VisitAsyncWithStmt(AsyncWithStmt node) => VisitWith(node.Items, node.Body);

    private void VisitWith(IReadOnlyList<WithItem> items, IReadOnlyList<Stmt> body)
    {
        // A with statement's targets are bound in the enclosing block: code after the with sees them.
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            WalkExpr(item.ContextExpr);
            if (item.OptionalVars is { } target)
            {
                BindTarget(target, item.ContextExpr, BindingKind.WithTarget, target.Span.End);
                WalkExpr(target);
            }
        }
        WalkBlock(body);
    }

    public override void VisitTryStmt(TryStmt node) => VisitTry(node.Body, node.Handlers, node.Orelse, node.Finalbody);

    public override void VisitTryStarStmt(TryStarStmt node) => VisitTry(node.Body, node.Handlers, node.Orelse, node.Finalbody);

    private void VisitTry(IReadOnlyList<Stmt> body, IReadOnlyList<ExceptHandler> handlers, IReadOnlyList<Stmt> orelse, IReadOnlyList<Stmt> finalbody)
    {
        WalkBlock(body);
        for (var i = 0; i < handlers.Count; i++)
        {
            var handler = handlers[i];
            WalkExpr(handler.Type);
            var saved = _blocks;
            _blocks = _blocks.Push(_nextBlockId++);
            if (handler.Name is { } name)
            {
                Add(name, BindingKind.ExceptTarget, handler, null, handler.Span.Start);
            }
            WalkBlock(handler.Body, newBlock: false);
            _blocks = saved;
        }
        WalkBlock(orelse);
        WalkBlock(finalbody);
    }

    public override void VisitMatchStmt(MatchStmt node)
    {
        WalkExpr(node.Subject);
        foreach (var matchCase in node.Cases)
        {
            var saved = _blocks;
            _blocks = _blocks.Push(_nextBlockId++);
            matchCase.Pattern.Accept(this);
            WalkExpr(matchCase.Guard);
            WalkBlock(matchCase.Body, newBlock: false);
            _blocks = saved;
        }
    }

    public override void VisitMatchAsPattern(MatchAsPattern node)
    {
        base.VisitMatchAsPattern(node);
        if (node.Name is { } name)
        {
            Add(name, BindingKind.Other, node, null, node.Span.End);
        }
    }

    public override void VisitMatchStarPattern(MatchStarPattern node)
    {
        if (node.Name is { } name)
        {
            Add(name, BindingKind.Other, node, null, node.Span.End);
        }
    }

    public override void VisitMatchMappingPattern(MatchMappingPattern node)
    {
        base.VisitMatchMappingPattern(node);
        if (node.Rest is { } name)
        {
            Add(name, BindingKind.Other, node, null, node.Span.End);
        }
    }

    public override void VisitReturnStmt(ReturnStmt node)
    {
        if (_function is not null)
        {
            _pendingReturns.Add((node.Value, _blocks));
        }
        WalkExpr(node.Value);
    }

    public override void VisitGlobalStmt(GlobalStmt node)
    {
        foreach (var name in node.Names)
        {
            _scope.DeclareGlobal(name);
        }
    }

    public override void VisitNonlocalStmt(NonlocalStmt node)
    {
        foreach (var name in node.Names)
        {
            _scope.DeclareNonlocal(name);
        }
    }

    public override void VisitCallExpr(CallExpr node)
    {
        _pendingCalls.Add(new CallSite(node, _scope, _blocks));
        _footprint.NoteCall(node, _isReceiver);
        if (_function is { } function)
        {
            NoteCalledParameters(node, function.Scope);
        }
        if (node.Func is AttributeExpr { Value: NameExpr container } method && CodeFootprint.Mutators.Contains(method.Attr))
        {
            _footprint.NoteMutatorCall(container.Id, method.Attr);
        }
        base.VisitCallExpr(node);
    }

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        if (node.Ctx == ExprContext.Load && InstanceDictionary.Item(node) is { } item && IsReceiver(item.Owner))
        {
            _footprint.AddReceiverRead(item.Attribute);
        }
        base.VisitSubscriptExpr(node);
    }

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (node.Ctx == ExprContext.Load && IsReceiver(node.Value))
        {
            _footprint.AddReceiverRead(node.Attr);
        }
        base.VisitAttributeExpr(node);
    }

    /// <summary>Parameters of the enclosing function that <paramref name="call"/> calls or hands on with data after them, or passes whole otherwise.</summary>
    private void NoteCalledParameters(CallExpr call, Scope functionScope)
    {
        if (call.Func is NameExpr called && IsParameter(called.Id, functionScope))
        {
            _footprint.AddCalledParameter(called.Id);
        }
        var handed = CodeFootprint.HandedWithData(call);
        var arguments = call.Args.Count + call.Keywords.Count;
        for (var i = 0; i < arguments; i++)
        {
            if (CodeFootprint.ArgumentAt(call, i) is NameExpr name && IsParameter(name.Id, functionScope))
            {
                if (i < handed)
                {
                    _footprint.AddCalledParameter(name.Id);
                }
                else
                {
                    _footprint.AddRelayedParameter(name.Id);
                }
            }
        }
    }

    private static bool IsParameter(string name, Scope functionScope) =>
        functionScope.BindingsOf(name) is [{ Kind: BindingKind.Parameter }, ..];

    /// <summary>The method's receiver, as the taint engine takes it: its first parameter's name (not a classmethod's).</summary>
    private bool IsReceiver(Expr expr) => _receiver is not null && expr is NameExpr name && name.Id == _receiver;
}
