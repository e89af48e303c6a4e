namespace PickleGuard.Python.Tests;

/// <summary>Small helpers shared by the parser tests.</summary>
internal static class Parse
{
    public static ParseResult Text(string source) => PythonParser.Parse(SourceText.FromString(source, "test.py"));

    public static string Dump(string source) => AstDump.Format(Text(source));

    public static SyntaxDiagnostic[] Errors(ParseResult result) => result.Diagnostics.Where(d => !d.IsPython2).ToArray();

    public static SyntaxDiagnostic[] Python2(ParseResult result) => result.Diagnostics.Where(d => d.IsPython2).ToArray();

    public static int LineOf(ParseResult result, SyntaxDiagnostic diagnostic) => result.Source.GetLinePosition(diagnostic.Span.Start).Line;

    public static List<T> All<T>(ParseResult result)
        where T : Node
    {
        var collector = new Collector<T>();
        collector.Walk(result.Module);
        return collector.Found;
    }

    private sealed class Collector<T> : AstWalker
        where T : Node
    {
        public List<T> Found { get; } = new();

        public override void VisitFunctionDefStmt(FunctionDefStmt node)
        {
            Add(node);
            base.VisitFunctionDefStmt(node);
        }

        public override void VisitClassDefStmt(ClassDefStmt node)
        {
            Add(node);
            base.VisitClassDefStmt(node);
        }

        public override void VisitCallExpr(CallExpr node)
        {
            Add(node);
            base.VisitCallExpr(node);
        }

        public override void VisitNameExpr(NameExpr node)
        {
            Add(node);
            base.VisitNameExpr(node);
        }

        public override void VisitExprStmt(ExprStmt node)
        {
            Add(node);
            base.VisitExprStmt(node);
        }

        private void Add(Node node)
        {
            if (node is T match)
            {
                Found.Add(match);
            }
        }
    }
}
