namespace PickleGuard.Python.Tests.Parser;

/// <summary>Python 2 forms: a diagnostic flagged IsPython2, no other error, and the closest Python 3 tree.</summary>
public class Python2Tests
{
    private const string End = "], type_ignores=[])";

    [Theory]
    [InlineData("print x", "Expr(value=Call(func=Name(id=\"print\", ctx=Load())@1:0-1:5, args=[Name(id=\"x\", ctx=Load())@1:6-1:7], keywords=[])@1:0-1:7)@1:0-1:7")]
    [InlineData("print >>f, x, y", "Expr(value=Call(func=Name(id=\"print\", ctx=Load())@1:0-1:5, args=[Name(id=\"x\", ctx=Load())@1:11-1:12, Name(id=\"y\", ctx=Load())@1:14-1:15], keywords=[keyword(arg=\"file\", value=Name(id=\"f\", ctx=Load())@1:8-1:9)@1:6-1:9])@1:0-1:15)@1:0-1:15")]
    [InlineData("print x,", "Expr(value=Call(func=Name(id=\"print\", ctx=Load())@1:0-1:5, args=[Name(id=\"x\", ctx=Load())@1:6-1:7], keywords=[keyword(arg=\"end\", value=Constant(value=str:\" \", kind=None)@1:7-1:8)@1:7-1:8])@1:0-1:8)@1:0-1:8")]
    [InlineData("exec code in ns", "Expr(value=Call(func=Name(id=\"exec\", ctx=Load())@1:0-1:4, args=[Name(id=\"code\", ctx=Load())@1:5-1:9, Name(id=\"ns\", ctx=Load())@1:13-1:15], keywords=[])@1:0-1:15)@1:0-1:15")]
    [InlineData("x = `y`", "Assign(targets=[Name(id=\"x\", ctx=Store())@1:0-1:1], value=Call(func=Name(id=\"repr\", ctx=Load())@1:4-1:5, args=[Name(id=\"y\", ctx=Load())@1:5-1:6], keywords=[])@1:4-1:7, type_comment=None)@1:0-1:7")]
    [InlineData("a <> b", "Expr(value=Compare(left=Name(id=\"a\", ctx=Load())@1:0-1:1, ops=[NotEq()], comparators=[Name(id=\"b\", ctx=Load())@1:5-1:6])@1:0-1:6)@1:0-1:6")]
    [InlineData("try:\n    pass\nexcept E, e:\n    pass", "Try(body=[Pass()@2:4-2:8], handlers=[ExceptHandler(type=Name(id=\"E\", ctx=Load())@3:7-3:8, name=\"e\", body=[Pass()@4:4-4:8])@3:0-4:8], orelse=[], finalbody=[])@1:0-4:8")]
    [InlineData("try:\n    pass\nexcept (A, B), e:\n    pass", "Try(body=[Pass()@2:4-2:8], handlers=[ExceptHandler(type=Tuple(elts=[Name(id=\"A\", ctx=Load())@3:8-3:9, Name(id=\"B\", ctx=Load())@3:11-3:12], ctx=Load())@3:7-3:13, name=\"e\", body=[Pass()@4:4-4:8])@3:0-4:8], orelse=[], finalbody=[])@1:0-4:8")]
    [InlineData("x = '\\uXX'", "Assign(targets=[Name(id=\"x\", ctx=Store())@1:0-1:1], value=Constant(value=str:\"\\\\uXX\", kind=None)@1:4-1:10, type_comment=None)@1:0-1:10")]
    [InlineData("raise E, \"msg\"", "Raise(exc=Call(func=Name(id=\"E\", ctx=Load())@1:6-1:7, args=[Constant(value=str:\"msg\", kind=None)@1:9-1:14], keywords=[])@1:6-1:14, cause=None)@1:0-1:14")]
    [InlineData("x = 0777", "Assign(targets=[Name(id=\"x\", ctx=Store())@1:0-1:1], value=Constant(value=int:511, kind=None)@1:4-1:8, type_comment=None)@1:0-1:8")]
    [InlineData("x = 10L", "Assign(targets=[Name(id=\"x\", ctx=Store())@1:0-1:1], value=Constant(value=int:10, kind=None)@1:4-1:7, type_comment=None)@1:0-1:7")]
    [InlineData("x = ur'a'", "Assign(targets=[Name(id=\"x\", ctx=Store())@1:0-1:1], value=Constant(value=str:\"a\", kind=\"u\")@1:4-1:9, type_comment=None)@1:0-1:9")]
    [InlineData("def f(a, (b, c)):\n    pass", "FunctionDef(name=\"f\", args=arguments(posonlyargs=[], args=[arg(arg=\"a\", annotation=None, type_comment=None)@1:6-1:7], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]), body=[Pass()@2:4-2:8], decorator_list=[], returns=None, type_comment=None, type_params=[])@1:0-2:8")]
    [InlineData("x = a.False", "Assign(targets=[Name(id=\"x\", ctx=Store())@1:0-1:1], value=Attribute(value=Name(id=\"a\", ctx=Load())@1:4-1:5, attr=\"False\", ctx=Load())@1:4-1:11, type_comment=None)@1:0-1:11")]
    [InlineData("async = 1", "Assign(targets=[Name(id=\"async\", ctx=Store())@1:0-1:5], value=Constant(value=int:1, kind=None)@1:8-1:9, type_comment=None)@1:0-1:9")]
    [InlineData("[x for x in a, b]", "Expr(value=ListComp(elt=Name(id=\"x\", ctx=Load())@1:1-1:2, generators=[comprehension(target=Name(id=\"x\", ctx=Store())@1:7-1:8, iter=Tuple(elts=[Name(id=\"a\", ctx=Load())@1:12-1:13, Name(id=\"b\", ctx=Load())@1:15-1:16], ctx=Load())@1:12-1:16, ifs=[], is_async=0)])@1:0-1:17)@1:0-1:17")]
    [InlineData("def f((a, b)=(1, 2)): pass", "FunctionDef(name=\"f\", args=arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]), body=[Pass()@1:22-1:26], decorator_list=[], returns=None, type_comment=None, type_params=[])@1:0-1:26")]
    public void ReadsPython2FormAsClosestPython3Tree(string source, string statement)
    {
        ParseResult result = Parse.Text(source + "\n");

        Assert.Empty(Parse.Errors(result));
        Assert.Single(Parse.Python2(result));
        Assert.Equal("Module(body=[" + statement + End, AstDump.Format(result));
    }

    [Theory]
    [InlineData("print(x)")]
    [InlineData("print")]
    [InlineData("print >> f")]
    [InlineData("print (a), b")]
    [InlineData("exec(code)")]
    [InlineData("x = 0o777 + 00 + 0")]
    [InlineData("try:\n    pass\nexcept A, B:\n    pass")]
    public void Python3ReadingsAreNotFlagged(string source)
    {
        ParseResult result = Parse.Text(source + "\n");

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void ExceptWithTwoTypesIsTheTuple314Reading()
    {
        ParseResult result = Parse.Text("try:\n    pass\nexcept A, B:\n    pass\n");

        Assert.Contains("ExceptHandler(type=Tuple(elts=[Name(id=\"A\", ctx=Load())@3:7-3:8, Name(id=\"B\", ctx=Load())@3:10-3:11], ctx=Load())@3:7-3:11, name=None", AstDump.Format(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Python2FileStillYieldsEveryFunction()
    {
        const string source = "def a():\n    print 'x'\n\ndef b():\n    exec 'y'\n\ndef c():\n    return `1`\n";
        ParseResult result = Parse.Text(source);

        Assert.Empty(Parse.Errors(result));
        Assert.Equal(3, Parse.Python2(result).Length);
        Assert.Equal(new[] { "a", "b", "c" }, Parse.All<FunctionDefStmt>(result).Select(f => f.Name));
    }
}
