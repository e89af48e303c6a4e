using System.Text;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests;

/// <summary>A caller that already decoded a file hands the text over, and the scan parses it instead of decoding again.</summary>
public sealed class SourceInputTextTests
{
    private const string Code = "import pickle\n\ndef f(data):\n    return pickle.loads(data)\n";

    [Fact]
    public void DecodedTextGivesTheSameFindingsAsTheBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(Code);

        var fromBytes = new CodeScanner(ModelSet.BuiltIn).Scan([new SourceInput("app.py", bytes)]);
        var fromText = new CodeScanner(ModelSet.BuiltIn).Scan([new SourceInput("app.py", bytes) { Text = SourceText.From(bytes, "app.py") }]);

        Assert.Equal(2, fromBytes.Findings.Count);
        Assert.Equal(
            fromBytes.Findings.Select(f => (f.RuleCode, f.Severity, f.Location.Line, f.Location.Column, f.Message)),
            fromText.Findings.Select(f => (f.RuleCode, f.Severity, f.Location.Line, f.Location.Column, f.Message)));
    }

    [Fact]
    public void TheGivenTextIsWhatGetsParsed()
    {
        // Not a real use (the text must be the bytes decoded): it shows the bytes are not decoded a second time.
        var input = new SourceInput("app.py", Encoding.UTF8.GetBytes("x = 1\n")) { Text = SourceText.FromString(Code, "app.py") };

        var result = new CodeScanner(ModelSet.BuiltIn).Scan([input]);

        Assert.Contains(result.Findings, f => f.RuleCode == "PG101" && f.Location.Line == 4);
    }
}
