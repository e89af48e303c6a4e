namespace PickleGuard.Python.Tests.Parser;

public class OneItemListTests
{
    [Fact]
    public void AListOfOneExpressionOrStatementIsTheItemAndReadsAsAListOfIt()
    {
        ParseResult result = Parse.Text("x = f(a)\nif x:\n    g(b, c)\n");
        var assign = (AssignStmt)result.Module.Body[0];
        var call = (CallExpr)assign.Value;
        var ifStmt = (IfStmt)result.Module.Body[1];

        // One item: no array, the item itself.
        Assert.Same(assign.Targets[0], assign.Targets);
        Assert.Same(call.Args[0], call.Args);
        Assert.Same(ifStmt.Body[0], ifStmt.Body);
        // Two items, and none: arrays as before.
        Assert.IsType<Expr[]>(((CallExpr)((ExprStmt)ifStmt.Body[0]).Value).Args);
        Assert.Empty(ifStmt.Orelse);

        IReadOnlyList<Expr> args = call.Args;
        Assert.Single(args);
        Assert.Equal("a", Assert.IsType<NameExpr>(Assert.Single(args.ToArray())).Id);
        // Compared by reference: an expression is enumerable (the list of itself), so a comparer that compares enumerables
        // item by item (xunit's Assert.Equal) would never finish on two expressions.
        Assert.Same(args[0], Assert.Single(args.Cast<Expr>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => args[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ifStmt.Body[-1]);
    }

    [Fact]
    public void ListsOfOneItemAreWalkedLikeArrays()
    {
        // The walker takes the item directly (AstWalker.WalkList); the dumps of the fixtures under Fixtures/valid cover
        // the dump writer, which reads the lists through the interface.
        Assert.Equal(new[] { "x", "f", "a", "x", "g", "b" }, Names("x = f(a)\nif x:\n    g(b)\n"));
    }

    private static List<string> Names(string source) => Parse.All<NameExpr>(Parse.Text(source)).Select(n => n.Id).ToList();
}
