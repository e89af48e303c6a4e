using System.Runtime.InteropServices;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

internal sealed partial class Binder
{
    public override void VisitFunctionDefStmt(FunctionDefStmt node) =>
        VisitFunction(node, node.Name, node.Args, node.Body, node.DecoratorList, node.Returns);

    public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node) =>
        VisitFunction(node, node.Name, node.Args, node.Body, node.DecoratorList, node.Returns);

    private void VisitFunction(Stmt node, string name, Arguments args, IReadOnlyList<Stmt> body, IReadOnlyList<Expr> decorators, Expr? returns)
    {
        // Decorators, defaults and annotations run in the enclosing scope.
        WalkExprs(decorators);
        WalkDefaults(args);
        WalkExpr(returns);
        var owner = _scope.Kind == ScopeKind.Class ? ClassOf(_scope) : null;
        var function = EnterFunction(node, name, ScopeKind.Function, owner, out var saved);
        BindParameters(args, node, owner, decorators);
        WalkBlock(body, newBlock: false);
        LeaveFunction(saved);
        _functions[node] = function;
        Add(name, BindingKind.FunctionDef, node, null, node.Span.End, function: function);
    }

    public override void VisitLambdaExpr(LambdaExpr node)
    {
        WalkDefaults(node.Args);
        var function = EnterFunction(node, "<lambda>", ScopeKind.Lambda, null, out var saved);
        BindParameters(node.Args, node, null, []);
        _pendingReturns.Add((node.Body, _blocks));
        WalkExpr(node.Body);
        LeaveFunction(saved);
        _functions[node] = function;
    }

    public override void VisitClassDefStmt(ClassDefStmt node)
    {
        WalkExprs(node.DecoratorList);
        WalkExprs(node.Bases);
        foreach (var keyword in node.Keywords)
        {
            WalkExpr(keyword.Value);
        }
        var info = new ClassInfo(node, _scope, _blocks);
        var savedScope = _scope;
        var savedBlocks = _blocks;
        var savedFunction = _function;
        _blocks = BlockPath.Root(_nextBlockId++);
        _scope = new Scope(ScopeKind.Class, node, savedScope, _module, _blocks);
        info.BodyScope = _scope;
        _classes[node] = info;
        _function = null;
        var savedReceiver = _receiver;
        _receiver = null; // the class body's code is the enclosing function's (its footprint), but has no receiver
        WalkBlock(node.Body, newBlock: false);
        _scope.Seal();
        _scope = savedScope;
        _blocks = savedBlocks;
        _function = savedFunction;
        _receiver = savedReceiver;
        Add(node.Name, BindingKind.ClassDef, node, null, node.Span.End, cls: info);
    }

    private ClassInfo? ClassOf(Scope scope) =>
        scope.Node is ClassDefStmt classDef && _classes.TryGetValue(classDef, out var info) ? info : null;

    private FunctionInfo EnterFunction(Node node, string name, ScopeKind kind, ClassInfo? owner, out (Scope, BlockPath, FunctionInfo?, CodeFootprint, string?, int) saved)
    {
        saved = (_scope, _blocks, _function, _footprint, _receiver, _returnsStart);
        _returnsStart = _pendingReturns.Count;
        _blocks = BlockPath.Root(_nextBlockId++);
        _scope = new Scope(kind, node, _scope, _module, _blocks);
        _function = new FunctionInfo(node, name, _scope, owner);
        _footprint = _function.Footprint;
        _receiver = null;
        return _function;
    }

    private void LeaveFunction((Scope Scope, BlockPath Blocks, FunctionInfo? Function, CodeFootprint Footprint, string? Receiver, int ReturnsStart) saved)
    {
        _scope.Seal();
        var returns = _pendingReturns.Count - _returnsStart;
        if (returns > 0)
        {
            _function!.Returns = CollectionsMarshal.AsSpan(_pendingReturns).Slice(_returnsStart, returns).ToArray();
            _pendingReturns.RemoveRange(_returnsStart, returns);
        }
        (_scope, _blocks, _function, _footprint, _receiver, _returnsStart) = saved;
    }

    private void WalkDefaults(Arguments args)
    {
        WalkExprs(args.Defaults);
        foreach (var value in args.KwDefaults)
        {
            WalkExpr(value);
        }
    }

    private void BindParameters(Arguments args, Node function, ClassInfo? owner, IReadOnlyList<Expr> decorators)
    {
        var isStatic = HasNameDecorator(decorators, "staticmethod");
        var isClassMethod = HasNameDecorator(decorators, "classmethod");
        _receiver = owner is not null && !isStatic && !isClassMethod ? FirstParameter(args) : null;
        // Index loops, not LINQ: this runs for every def and lambda of every file.
        var positional = args.Posonlyargs.Count + args.Args.Count;
        for (var i = 0; i < positional; i++)
        {
            var arg = i < args.Posonlyargs.Count ? args.Posonlyargs[i] : args.Args[i - args.Posonlyargs.Count];
            var self = i == 0 && owner is not null && !isStatic ? owner : null;
            // Defaults belong to the last positional parameters.
            var defaultIndex = i - (positional - args.Defaults.Count);
            AddParameter(arg, function, self, isClassMethod, defaultIndex >= 0 ? args.Defaults[defaultIndex] : null);
        }
        if (args.Vararg is { } vararg)
        {
            AddParameter(vararg, function, null, false);
        }
        if (args.Kwarg is { } kwarg)
        {
            AddParameter(kwarg, function, null, false);
        }
        for (var i = 0; i < args.Kwonlyargs.Count; i++)
        {
            AddParameter(args.Kwonlyargs[i], function, null, false, i < args.KwDefaults.Count ? args.KwDefaults[i] : null);
        }
    }

    private static bool HasNameDecorator(IReadOnlyList<Expr> decorators, string name)
    {
        for (var i = 0; i < decorators.Count; i++)
        {
            if (decorators[i] is NameExpr decorator && decorator.Id == name)
            {
                return true;
            }
        }
        return false;
    }

    private void AddParameter(Arg arg, Node function, ClassInfo? selfOf, bool selfIsClass, Expr? defaultValue = null)
    {
        _scope.Add(selfOf is null && defaultValue is null
            ? new Binding(arg.ArgValue, BindingKind.Parameter, _scope, arg, null, function.Span.Start, _blocks)
            : new ParameterBinding(arg.ArgValue, _scope, arg, function.Span.Start, _blocks, defaultValue, selfOf, selfIsClass && selfOf is not null));
    }

    /// <summary>The first parameter in the order the taint engine numbers them (positional, *args, keyword-only, **kwargs).</summary>
    private static string? FirstParameter(Arguments args) =>
        args.Posonlyargs.Count > 0 ? args.Posonlyargs[0].ArgValue
        : args.Args.Count > 0 ? args.Args[0].ArgValue
        : args.Vararg?.ArgValue ?? (args.Kwonlyargs.Count > 0 ? args.Kwonlyargs[0].ArgValue : args.Kwarg?.ArgValue);
}
