using System.Text;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Generates a synthetic Python package of <c>functions</c> functions in <c>functions / 100</c> modules: each module
/// has a chain of 100 functions passing data along (with branches, string operations and a call into the previous
/// module), a sink at the end of the chain and a Flask view every 25 functions feeding request data into it.
/// </summary>
internal static class SyntheticProject
{
    public const int FunctionsPerModule = 100;

    public static SourceInput[] Generate(int functions)
    {
        var modules = Math.Max(1, functions / FunctionsPerModule);
        var files = new List<SourceInput> { new("/synthetic/pkg/__init__.py", []) };
        for (var m = 0; m < modules; m++)
        {
            files.Add(new SourceInput($"/synthetic/pkg/m{m}.py", Encoding.UTF8.GetBytes(Module(m))));
        }
        return [.. files];
    }

    private static string Module(int m)
    {
        var code = new StringBuilder();
        code.AppendLine("import base64");
        code.AppendLine("import pickle");
        code.AppendLine("from flask import Flask, request");
        if (m > 0)
        {
            code.AppendLine($"from . import m{m - 1} as prev");
        }
        code.AppendLine("app = Flask(__name__)");
        for (var i = 0; i < FunctionsPerModule; i++)
        {
            code.AppendLine();
            code.AppendLine($"def f{i}(data, n):");
            code.AppendLine("    x = data.strip() + b\"-\"");
            code.AppendLine("    if n > 3:");
            code.AppendLine("        x = base64.b64decode(x)");
            if (m > 0 && i % 10 == 0)
            {
                code.AppendLine($"    y = prev.f{i + 1}(x, n - 1)");
            }
            else
            {
                code.AppendLine("    y = x[1:]");
            }
            code.AppendLine(i + 1 < FunctionsPerModule ? $"    return f{i + 1}(y, n)" : "    return pickle.loads(y)");
            if (i % 25 == 0)
            {
                code.AppendLine();
                code.AppendLine($"@app.route(\"/v{i}\")");
                code.AppendLine($"def view{i}():");
                code.AppendLine($"    return f{i}(request.data, 1)");
            }
        }
        return code.ToString();
    }
}
