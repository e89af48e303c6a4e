using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>The flags of a function that decide whether a sink written in its body is safe or runs (FunctionAnalyzer.SafeArguments.cs).</summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Statements nested deeper than this around a sink give it no branch flag.</summary>
    private const int MaxFlagBranchDepth = 32;

    /// <summary>
    /// The flags of <paramref name="unit"/> for a sink written in its own body: the sink's safe-when argument when it is a
    /// parameter (or a keyword of the unit's <c>**kwargs</c> passed on unchanged), and every test of a parameter that
    /// keeps the sink from running (<see cref="CollectBranchFlags"/>); or the argument of the call that made the sink's
    /// object when the condition is on that call (<see cref="ConstructorFlag"/>).
    /// </summary>
    private List<SafeFlag> OwnFlags(TaintUnit unit, SinkKey sink)
    {
        var flags = new List<SafeFlag>();
        if (SafeWhenOnCall(sink) is { } condition)
        {
            var (kind, argument) = ArgumentFinder.Find(sink.Call, condition.Argument);
            if (argument is NameExpr { Id: var name } && OwnParameter(unit, name) is var (index, _))
            {
                flags.Add(new SafeFlag(index, SafeFlagTest.SafeWhen, 0));
            }
            else if (kind == ArgumentKind.Unknowable && condition.Argument.Keyword is { } keyword && ForwardsOwnKeywords(unit, sink.Call))
            {
                flags.Add(new SafeFlag(unit.KwargIndex, SafeFlagTest.SafeWhen, 0, keyword));
            }
        }
        else if (SafeWhenOnConstructor(sink) is { } made && ConstructorFlag(unit, sink, made) is { } index)
        {
            flags.Add(new SafeFlag(index, SafeFlagTest.SafeWhen, 0));
        }
        CollectBranchFlags(unit, unit.Function!.Body, sink.Call.Span.Start, flags, 0, inLoop: false);
        return flags;
    }

    /// <summary>
    /// The parameter of <paramref name="unit"/> that every call making the sink's object gives the condition's argument
    /// (dvc's <c>def parse_yaml(text, path, typ="safe"): yaml = YAML(typ=typ); yaml.load(text)</c>): each such call is
    /// written in the unit's own body and the parameter is never rebound, so the object's type is what the unit's caller
    /// gave. Null when any value the sink's callee may be was made elsewhere, through a project subclass or a partial, or
    /// given anything else (a literal there is the sink detector's to judge: it reported the call).
    /// </summary>
    private int? ConstructorFlag(TaintUnit unit, SinkKey sink, ArgumentCondition condition)
    {
        if (unit.Function is not { } function || sink.Module.CallSiteOf(sink.Call) is not { } site)
        {
            return null;
        }
        int? flag = null;
        foreach (var value in _program.Resolver.Resolve(sink.Call.Func, EvalContext.At(site)))
        {
            if (value is not ApiValue api || !_program.Models.SinksFor(api.Path).Contains(sink.Model))
            {
                continue; // not this sink's callee
            }
            if (api is not { Constructor: { } made, ViaClass: null, Partial: null } || !IsDirectlyIn(function, sink.Module, made.Span)
                || ArgumentFinder.Find(made, condition.Argument) is not (ArgumentKind.Found, NameExpr { Id: var name })
                || OwnParameter(unit, name) is not var (index, _) || (flag is { } other && other != index))
            {
                return null;
            }
            flag = index;
        }
        return flag;
    }

    /// <summary>
    /// Adds the tests of <paramref name="unit"/>'s parameters that keep the statement at <paramref name="at"/> in
    /// <paramref name="block"/> from running: an <c>if</c> on the parameter (<c>if flag:</c>, <c>if not flag:</c>), or a
    /// type test telling it from a file object (<see cref="FileTest"/>), holding it in one branch, and one before it, in
    /// the same block or a block around it, whose body leaves the function (ends with <c>return</c> or <c>raise</c>) and
    /// has no <c>else</c>. <paramref name="inLoop"/>: the block is in a loop's body.
    /// </summary>
    private void CollectBranchFlags(TaintUnit unit, IReadOnlyList<Stmt> block, int at, List<SafeFlag> flags, int depth, bool inLoop)
    {
        if (depth > MaxFlagBranchDepth)
        {
            return;
        }
        foreach (var statement in block)
        {
            if (statement.Span.End <= at)
            {
                // Past `if flag: return ...`, the sink runs only while the test is false.
                if (statement is IfStmt { Orelse.Count: 0 } exiting && LeavesFunction(exiting.Body))
                {
                    if (TestedFlag(unit, exiting.Test) is var (index, negated))
                    {
                        flags.Add(new SafeFlag(index, negated ? SafeFlagTest.WhenFalse : SafeFlagTest.WhenTrue, 0));
                    }
                    else if (FileTest(unit, exiting.Test, inLoop) is (var parameter, false))
                    {
                        flags.Add(new SafeFlag(parameter, SafeFlagTest.NoFileObject, 0));
                    }
                }
                continue;
            }
            if (statement.Span.Start > at)
            {
                return;
            }
            if (statement is IfStmt conditional && (BlockHolds(conditional.Body, at) || BlockHolds(conditional.Orelse, at)))
            {
                var inBody = BlockHolds(conditional.Body, at);
                if (TestedFlag(unit, conditional.Test) is var (tested, not))
                {
                    // The sink runs only while the flag is true: in the body of `if flag:`, or in the `else` of `if not flag:`.
                    flags.Add(new SafeFlag(tested, inBody != not ? SafeFlagTest.WhenFalse : SafeFlagTest.WhenTrue, 0));
                }
                else if (FileTest(unit, conditional.Test, inLoop) is var (parameter, noFileWhen) && noFileWhen == inBody)
                {
                    flags.Add(new SafeFlag(parameter, SafeFlagTest.NoFileObject, 0));
                }
            }
            var loop = inLoop || statement is ForStmt or AsyncForStmt or WhileStmt;
            foreach (var child in GuardWalker.ChildBlocks(statement))
            {
                if (BlockHolds(child, at))
                {
                    CollectBranchFlags(unit, child, at, flags, depth + 1, loop);
                }
            }
            return;
        }
    }

    /// <summary>
    /// The parameter an <c>if</c> tests (<c>flag</c> or <c>not flag</c>, never rebound), and whether the test is negated.
    /// A flag <c>or</c>-ed with settings of the process (<see cref="FlagOrSettings"/>) counts as the flag.
    /// </summary>
    private static (int Index, bool Negated)? TestedFlag(TaintUnit unit, Expr test) => test switch
    {
        NameExpr { Id: var name } when OwnParameter(unit, name) is var (index, _) => (index, false),
        UnaryOpExpr { Op: UnaryOperator.Not, Operand: NameExpr { Id: var name } } when OwnParameter(unit, name) is var (index, _) => (index, true),
        BoolOpExpr { Op: BoolOperator.Or } either when FlagOrSettings(unit, either) is { } index => (index, false),
        UnaryOpExpr { Op: UnaryOperator.Not, Operand: BoolOpExpr { Op: BoolOperator.Or } either } when FlagOrSettings(unit, either) is { } index => (index, true),
        _ => null,
    };

    /// <summary>
    /// The parameter of <c>flag or setting</c> (autogluon's <c>if not (trust_remote or _url_pickle_allowed()): raise</c>,
    /// the second reading an environment variable): one operand is a flag, and every other one names no local or
    /// parameter of the function — a global, a call of one, an environment read — so it is the same for every call,
    /// the operator's opt-in, off unless the operator opts in as the flag is unless a caller does. An operand that names
    /// the function's data (<c>url.startswith(TRUSTED)</c>) may hold for an attacker's input: no flag then.
    /// </summary>
    private static int? FlagOrSettings(TaintUnit unit, BoolOpExpr either)
    {
        int? flag = null;
        foreach (var value in either.Values)
        {
            if (value is NameExpr { Id: var name } && OwnParameter(unit, name) is var (index, _) && flag is null)
            {
                flag = index;
            }
            else if (value is LambdaExpr || Detection.NameCollector.Of(value).Any(unit.Scope.Binds))
            {
                return null;
            }
        }
        return flag;
    }

    private static bool LeavesFunction(IReadOnlyList<Stmt> block) => block.Count > 0 && block[^1] is ReturnStmt or RaiseStmt;

    private static bool BlockHolds(IReadOnlyList<Stmt> block, int at) => block.Count > 0 && block[0].Span.Start <= at && at < block[^1].Span.End;
}
