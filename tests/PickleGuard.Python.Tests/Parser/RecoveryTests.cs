namespace PickleGuard.Python.Tests.Parser;

/// <summary>After a syntax error the parser goes on, so later code is still in the tree.</summary>
public class RecoveryTests
{
    [Theory]
    [InlineData("def bad(:\n    x = 1\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("def bad():\n    x = = 1\n    y = 2 +\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("def bad():\n    f(a, b\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("def bad():\n    s = 'unterminated\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("def bad():\n    x = f\"{a\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("class Bad(\n    pass\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("def bad():\n  if x:\n      y = 1\n     z = 2\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("def bad():\n    return $\n\ndef good():\n    return pickle.loads(data)\n")]
    [InlineData("def bad():\n    for in x:\n        pass\n\ndef good():\n    return pickle.loads(data)\n")]
    public void BrokenFunctionDoesNotHideTheNextOne(string source)
    {
        ParseResult result = Parse.Text(source);

        Assert.NotEmpty(Parse.Errors(result));
        FunctionDefStmt good = Assert.Single(Parse.All<FunctionDefStmt>(result), f => f.Name == "good");
        ReturnStmt ret = Assert.IsType<ReturnStmt>(Assert.Single(good.Body));
        CallExpr call = Assert.IsType<CallExpr>(ret.Value);
        AttributeExpr func = Assert.IsType<AttributeExpr>(call.Func);
        Assert.Equal("loads", func.Attr);
        Assert.Equal("pickle", Assert.IsType<NameExpr>(func.Value).Id);
    }

    [Fact]
    public void ErrorIsReportedOnItsLine()
    {
        ParseResult result = Parse.Text("a = 1\nb = (\nc = 3\n");

        SyntaxDiagnostic first = Parse.Errors(result)[0];
        Assert.Equal(2, Parse.LineOf(result, first));
    }

    [Fact]
    public void StatementsAfterAnErrorOnTheSameLevelSurvive()
    {
        ParseResult result = Parse.Text("x = 1 +\nimport pickle\npickle.loads(y)\n");

        Assert.NotEmpty(Parse.Errors(result));
        Assert.Contains(result.Module.Body, s => s is ImportStmt);
        Assert.Contains(Parse.All<CallExpr>(result), c => c.Func is AttributeExpr { Attr: "loads" });
    }
}
