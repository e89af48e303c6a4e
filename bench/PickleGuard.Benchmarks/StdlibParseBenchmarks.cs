using BenchmarkDotNet.Attributes;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Single-threaded throughput of the Python front end over the whole CPython standard library,
/// all files in memory first. The MB/s column is corpus bytes (10^6) / mean time.
/// </summary>
[MemoryDiagnoser]
public class StdlibParseBenchmarks
{
    private (string Path, byte[] Bytes)[] _files = [];
    private SourceText[] _texts = [];
    private LexerEntry? _lexer;

    [GlobalSetup]
    public void Setup()
    {
        _files = [.. StdlibCorpus.Instance.Files];
        _texts = _files.Select(f => SourceText.From(f.Bytes, f.Path)).ToArray();
        _lexer = LexerEntry.Bind();
    }

    /// <summary>Bytes to text: BOM, coding cookie, UTF-8 validation.</summary>
    [Benchmark]
    public int Decode()
    {
        var chars = 0;
        foreach (var (path, bytes) in _files)
            chars += SourceText.From(bytes, path).Text.Length;
        return chars;
    }

    /// <summary>Text to tokens (INDENT/DEDENT, f-string parts), decoded text given.</summary>
    [Benchmark]
    public int Lex()
    {
        var tokens = 0;
        foreach (var text in _texts)
            tokens += _lexer!.Tokenize(text.Text);
        return tokens;
    }

    /// <summary>Text to tree (lexing included), decoded text given.</summary>
    [Benchmark]
    public int Parse()
    {
        var statements = 0;
        foreach (var text in _texts)
            statements += PythonParser.Parse(text).Module.Body.Count;
        return statements;
    }

    /// <summary>Bytes to tree: what a scan does per file.</summary>
    [Benchmark(Baseline = true)]
    public int DecodeAndParse()
    {
        var statements = 0;
        foreach (var (path, bytes) in _files)
            statements += PythonParser.Parse(SourceText.From(bytes, path)).Module.Body.Count;
        return statements;
    }

    /// <summary>Bytes to tree to semantic model (scopes, bindings, calls): the "parse and bind" phase of a scan.</summary>
    [Benchmark]
    public int DecodeParseAndBind()
    {
        var calls = 0;
        foreach (var (path, bytes) in _files)
            calls += ModuleModel.Build(PythonParser.Parse(SourceText.From(bytes, path)), "m", isPackage: false).Calls.Count;
        return calls;
    }
}
