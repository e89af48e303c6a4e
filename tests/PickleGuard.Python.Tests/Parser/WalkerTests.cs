namespace PickleGuard.Python.Tests.Parser;

public class WalkerTests
{
    private sealed class NameCounter : AstWalker
    {
        public List<string> Names { get; } = new();

        public override void VisitNameExpr(NameExpr node) => Names.Add(node.Id);
    }

    [Fact]
    public void DefaultWalkVisitsEveryChildInFieldOrder()
    {
        ParseResult result = Parse.Text("@d\ndef f(a: A = b) -> R:\n    return [x async for x in y if z] + f'{w!r:{v}}'\n");
        var counter = new NameCounter();
        counter.Walk(result.Module);

        Assert.Equal(new[] { "A", "b", "x", "x", "y", "z", "w", "v", "d", "R" }, counter.Names);
    }

    [Fact]
    public void ConstantsKeepTheirValues()
    {
        ParseResult result = Parse.Text("x = (1, 2.5, 3j, 'a\\n', b'\\x01', u'k', True, None, ..., 123456789012345678901234567890)\n");
        var tuple = (TupleExpr)((AssignStmt)result.Module.Body[0]).Value;
        var values = tuple.Elts.Cast<ConstantExpr>().ToArray();

        Assert.Equal(1, (int)values[0].Value.AsInteger);
        Assert.Equal(2.5, values[1].Value.AsFloat);
        Assert.Equal(3, values[2].Value.AsComplex.Imaginary);
        Assert.Equal("a\n", values[3].Value.AsString);
        Assert.Equal(new byte[] { 1 }, values[4].Value.AsBytes);
        Assert.Equal("u", values[5].Kind);
        Assert.Equal(ConstantType.True, values[6].Value.Type);
        Assert.Equal(ConstantType.None, values[7].Value.Type);
        Assert.Equal(ConstantType.Ellipsis, values[8].Value.Type);
        Assert.Equal(System.Numerics.BigInteger.Parse("123456789012345678901234567890"), values[^1].Value.AsInteger);
    }
}
