using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A project subclass of a library class whose own <c>__init__</c> hands arguments on with <c>super().__init__(...)</c>
/// (Ray's <c>class ClientUnpickler(pickle.Unpickler): def __init__(self, server, *args, **kwargs):
/// super().__init__(*args, **kwargs)</c>): what the library constructor receives is not the construction call's
/// argument at the same place, but the one the <c>super()</c> call passes on.
/// </summary>
internal static class SuperInitArguments
{
    /// <summary>
    /// The construction call's argument that reaches the library constructor as <paramref name="selector"/>: null when
    /// the class has no <c>__init__</c> of its own (the call's arguments are the library's); unknowable when the
    /// <c>__init__</c> hands nothing on plainly.
    /// </summary>
    public static (ArgumentKind Kind, Expr? Value)? Find(ClassInfo cls, CallExpr construction, ArgumentSelector selector)
    {
        if (OwnInit(cls) is not { } init)
        {
            return null;
        }
        if (SuperCall(init) is not { } handOn || init.Arguments is not { } parameters)
        {
            return (ArgumentKind.Unknowable, null);
        }
        var (kind, value) = ArgumentFinder.Find(handOn, selector);
        if (kind == ArgumentKind.Found && value is NameExpr name)
        {
            return ArgumentFor(parameters, construction, name.Id);
        }
        if (kind == ArgumentKind.Unknowable && selector.Position is { } position && handOn.Args is [StarredExpr { Value: NameExpr varargs }, ..]
            && parameters.Vararg?.ArgValue == varargs.Id && !construction.Args.Any(a => a is StarredExpr))
        {
            // `super().__init__(*args, ...)`: the positionals after the named ones, in order.
            var at = parameters.Posonlyargs.Count + parameters.Args.Count - 1 + position;
            return at < construction.Args.Count ? (ArgumentKind.Found, construction.Args[at])
                : selector.Keyword is { } keyword && construction.Keywords.FirstOrDefault(k => k.Arg == keyword) is { } given ? (ArgumentKind.Found, given.Value)
                : (ArgumentKind.Unknowable, null);
        }
        return kind == ArgumentKind.Missing ? (ArgumentKind.Missing, null) : (ArgumentKind.Unknowable, null);
    }

    /// <summary>The construction call's arguments the <c>super().__init__(...)</c> call passes on (all of them through <c>*args</c>/<c>**kwargs</c>).</summary>
    public static IEnumerable<Expr> HandedOn(ClassInfo cls, CallExpr construction)
    {
        if (OwnInit(cls) is not { } init || SuperCall(init) is not { } handOn || init.Arguments is not { } parameters)
        {
            yield break;
        }
        foreach (var passed in handOn.Args)
        {
            if (passed is StarredExpr)
            {
                // `*args`: any positional may be handed on.
                foreach (var argument in construction.Args)
                {
                    yield return argument;
                }
            }
            else if (passed is NameExpr name && ArgumentFor(parameters, construction, name.Id) is (ArgumentKind.Found, { } argument))
            {
                yield return argument;
            }
        }
        foreach (var passed in handOn.Keywords)
        {
            if (passed.Arg is null)
            {
                // `**kwargs`: any keyword may be handed on.
                foreach (var keyword in construction.Keywords)
                {
                    yield return keyword.Value;
                }
            }
            else if (passed.Value is NameExpr name && ArgumentFor(parameters, construction, name.Id) is (ArgumentKind.Found, { } argument))
            {
                yield return argument;
            }
        }
    }

    /// <summary>
    /// The argument the class's own <c>__init__</c> writes in its <c>super().__init__(...)</c> call (or in
    /// <c>Base.__init__(self, ...)</c> naming one of its bases) for <paramref name="selector"/> when it is not one of its
    /// parameters (<c>super().__init__(object_hook=self.hook)</c>), with that call (whose scope is the <c>__init__</c>'s);
    /// null otherwise.
    /// </summary>
    public static (Expr Value, CallExpr SuperCall)? WrittenInInit(ClassInfo cls, ArgumentSelector selector)
    {
        if (OwnInit(cls) is not { } init || init.Arguments is not { } parameters)
        {
            return null;
        }
        if (SuperCall(init) is not { } handOn)
        {
            if (BaseInitCall(init, cls) is not { } explicitCall)
            {
                return null;
            }
            // `Base.__init__(self, ...)`: the base's positionals come after `self`.
            (handOn, selector) = (explicitCall, selector.Position is { } position ? selector with { Position = position + 1 } : selector);
        }
        return ArgumentFinder.Find(handOn, selector) is (ArgumentKind.Found, { } value) && !(value is NameExpr name && IsParameter(parameters, name.Id))
            ? (value, handOn)
            : null;
    }

    /// <summary>The first <c>Base.__init__(self, ...)</c> statement of the body naming one of the class's bases as written, if any.</summary>
    private static CallExpr? BaseInitCall(FunctionInfo init, ClassInfo cls)
    {
        if (init.Arguments is not { } parameters || parameters.Posonlyargs.Concat(parameters.Args).FirstOrDefault() is not { } self)
        {
            return null;
        }
        foreach (var statement in init.Body)
        {
            if (statement is ExprStmt { Value: CallExpr { Func: AttributeExpr { Attr: "__init__", Value: var owner }, Args: [NameExpr receiver, ..] } call }
                && receiver.Id == self.ArgValue && cls.Node.Bases.Any(b => SameDottedName(b, owner)))
            {
                return call;
            }
        }
        return null;
    }

    private static bool SameDottedName(Expr left, Expr right) => (left, right) switch
    {
        (NameExpr a, NameExpr b) => a.Id == b.Id,
        (AttributeExpr a, AttributeExpr b) => a.Attr == b.Attr && SameDottedName(a.Value, b.Value),
        _ => false,
    };

    private static bool IsParameter(Arguments parameters, string name) =>
        parameters.Posonlyargs.Concat(parameters.Args).Concat(parameters.Kwonlyargs).Any(p => p.ArgValue == name)
        || parameters.Vararg?.ArgValue == name || parameters.Kwarg?.ArgValue == name;

    private static FunctionInfo? OwnInit(ClassInfo cls) =>
        cls.BodyScope.BindingsOf("__init__") is [{ Function: { } init }] ? init : null;

    /// <summary>The first <c>super().__init__(...)</c> statement of the body, if any.</summary>
    private static CallExpr? SuperCall(FunctionInfo init)
    {
        foreach (var statement in init.Body)
        {
            if (statement is ExprStmt { Value: CallExpr { Func: AttributeExpr { Attr: "__init__", Value: CallExpr { Func: NameExpr { Id: "super" } } } } call })
            {
                return call;
            }
        }
        return null;
    }

    /// <summary>
    /// The argument the construction call gives <c>__init__</c>'s parameter <paramref name="name"/> (after <c>self</c>),
    /// or any call its function's parameter, after the <paramref name="skipped"/> leading ones the call does not pass.
    /// </summary>
    internal static (ArgumentKind Kind, Expr? Value) ArgumentFor(Arguments parameters, CallExpr construction, string name, int skipped = 1)
    {
        var positional = parameters.Posonlyargs.Concat(parameters.Args).ToList();
        var index = positional.FindIndex(p => p.ArgValue == name) - skipped;
        if (index >= 0 && !construction.Args.Take(index + 1).Any(a => a is StarredExpr) && index < construction.Args.Count)
        {
            return (ArgumentKind.Found, construction.Args[index]);
        }
        if (construction.Keywords.FirstOrDefault(k => k.Arg == name) is { } keyword)
        {
            return (ArgumentKind.Found, keyword.Value);
        }
        return construction.Args.Any(a => a is StarredExpr) || construction.Keywords.Any(k => k.Arg is null)
            ? (ArgumentKind.Unknowable, null)
            : (ArgumentKind.Missing, null);
    }
}
