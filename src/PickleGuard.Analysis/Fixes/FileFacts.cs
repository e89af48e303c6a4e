using System.Text;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>
/// What one file shows about needing Python objects back from its data: YAML constructors and <c>!!python/</c> tags
/// (then <c>safe_load</c> would change behaviour), object arrays (then <c>allow_pickle=False</c> would). The first
/// piece of evidence of each kind is kept, as a sentence for the finding's note.
/// </summary>
internal sealed class FileFacts : AstWalker
{
    private readonly SourceText _source;
    private readonly HashSet<string> _identifiers = new(StringComparer.Ordinal);

    private FileFacts(SourceText source) => _source = source;

    /// <summary>Why a safe YAML loader could break this file, or null.</summary>
    public string? YamlObjectsReason { get; private set; }

    /// <summary>Why the arrays this file loads could be object arrays, or null.</summary>
    public string? ObjectArraysReason { get; private set; }

    /// <summary>Every name the file defines, imports or reads (to add an import without shadowing anything).</summary>
    public IReadOnlySet<string> Identifiers => _identifiers;

    public static FileFacts Of(ParseResult parse)
    {
        var facts = new FileFacts(parse.Source);
        facts.Walk(parse.Module);
        return facts;
    }

    public override void VisitConstantExpr(ConstantExpr node)
    {
        var text = node.Value.AsString ?? (node.Value.AsBytes is { } bytes ? Encoding.Latin1.GetString(bytes) : null);
        if (text is not null && (text.Contains("!!python/", StringComparison.Ordinal) || text.Contains("tag:yaml.org,2002:python/", StringComparison.Ordinal)))
        {
            Yaml($"a string at line {Line(node)} uses a `!!python/` YAML tag, which only the unsafe loaders construct");
        }
        if (text is "O" or "|O" or "object")
        {
            Objects($"the string '{text}' at line {Line(node)} may name the object dtype");
        }
    }

    public override void VisitCallExpr(CallExpr node)
    {
        switch (LastName(node.Func))
        {
            case "add_constructor" or "add_multi_constructor":
                Yaml($"line {Line(node)} registers a YAML constructor (`{LastName(node.Func)}`)");
                break;
            case "item" when node.Args.Count == 0:
                Objects($"line {Line(node)} calls `.item()`, the usual way to read a pickled object out of an array");
                break;
        }
        base.VisitCallExpr(node);
    }

    public override void VisitKeyword(Keyword node)
    {
        if (node.Arg == "dtype" && LastName(node.Value) is "object" or "object_")
        {
            Objects($"line {Line(node)} uses `dtype=object`");
        }
        base.VisitKeyword(node);
    }

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        if (node.Slice is TupleExpr { Elts.Count: 0 })
        {
            Objects($"line {Line(node)} indexes with `[()]`, which unwraps a 0-d object array");
        }
        base.VisitSubscriptExpr(node);
    }

    public override void VisitClassDefStmt(ClassDefStmt node)
    {
        _identifiers.Add(node.Name);
        foreach (var name in node.Bases.Select(LastName))
        {
            if (name == "YAMLObject")
            {
                Yaml($"class `{node.Name}` (line {Line(node)}) subclasses `yaml.YAMLObject`, which registers a constructor");
            }
            else if (name is not null && (name.EndsWith("Loader", StringComparison.Ordinal) || name.EndsWith("Constructor", StringComparison.Ordinal))
                     && !IsEmptyBody(node.Body))
            {
                Yaml($"class `{node.Name}` (line {Line(node)}) subclasses the YAML `{name}` and may register constructors");
            }
        }
        base.VisitClassDefStmt(node);
    }

    public override void VisitNameExpr(NameExpr node) => _identifiers.Add(node.Id);

    public override void VisitAlias(Alias node) => _identifiers.Add(node.Asname ?? node.Name.Split('.')[0]);

    public override void VisitFunctionDefStmt(FunctionDefStmt node)
    {
        _identifiers.Add(node.Name);
        base.VisitFunctionDefStmt(node);
    }

    public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node)
    {
        _identifiers.Add(node.Name);
        base.VisitAsyncFunctionDefStmt(node);
    }

    public override void VisitArg(Arg node)
    {
        _identifiers.Add(node.ArgValue);
        base.VisitArg(node);
    }

    /// <summary>
    /// <c>pass</c>, a docstring or <c>...</c> only: such a loader subclass registers nothing (a registration through
    /// <c>add_constructor</c> elsewhere is caught as a call).
    /// </summary>
    private static bool IsEmptyBody(IReadOnlyList<Stmt> body) =>
        body.All(s => s is PassStmt or ExprStmt { Value: ConstantExpr });

    private static string? LastName(Expr expr) => expr switch
    {
        NameExpr name => name.Id,
        AttributeExpr attribute => attribute.Attr,
        _ => null,
    };

    private void Yaml(string reason) => YamlObjectsReason ??= reason;

    private void Objects(string reason) => ObjectArraysReason ??= reason;

    private int Line(Node node) => _source.GetLinePosition(node.Span.Start).Line;
}
