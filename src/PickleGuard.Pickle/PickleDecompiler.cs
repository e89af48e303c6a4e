using System.Globalization;
using System.Text;
using PickleGuard.Core;
using PickleGuard.Pickle.Machine;
using PickleGuard.Pickle.Rendering;

namespace PickleGuard.Pickle;

/// <summary>
/// A pseudo-Python view of what loading the stream would do, e.g. <c>_var0 = os.system('id')</c>, with findings
/// marked under the statements they concern. Produced by the symbolic machine; nothing is executed.
/// </summary>
public static class PickleDecompiler
{
    private const int MaxExpressionChars = 400;

    /// <summary>Decompiles every pickle in <paramref name="stream"/> and marks the scanner's findings.</summary>
    public static string Decompile(Stream stream, PicklePolicy policy, Location where, PickleLimits? limits = null)
    {
        var scanner = new PickleScanner(policy, limits ?? PickleLimits.Default);
        var run = scanner.Execute(stream, recordEvents: true);
        var findings = scanner.BuildFindings(run, where);
        return Render(run, findings);
    }

    /// <summary>Renders recorded machine events (see <see cref="PickleScanner.Execute"/> with recordEvents) as statements.</summary>
    public static string Render(PickleMachineResult run, IReadOnlyList<Finding> findings)
    {
        var output = new StringBuilder();
        var marks = FindingIndex.ByOffset(findings);
        var shown = new HashSet<Finding>();
        var importedModules = new HashSet<string>(StringComparer.Ordinal);
        int pickle = 0;
        bool startOfPickle = true;
        foreach (var e in run.Events)
        {
            if (startOfPickle)
            {
                output.Append("# pickle ").Append(pickle.ToString(CultureInfo.InvariantCulture)).Append('\n');
                startOfPickle = false;
            }

            string? statement = Statement(e, importedModules);
            if (statement is not null)
            {
                output.Append(statement).Append("  # offset ").Append(e.ByteOffset.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            if (marks.TryGetValue(e.ByteOffset, out var atOffset))
            {
                foreach (var finding in atOffset.Where(shown.Add))
                {
                    output.Append("# !! ").Append(finding.RuleCode).Append(' ').Append(finding.Severity.ToName()).Append(": ").Append(finding.Message).Append('\n');
                }
            }

            if (e.Kind == MachineEventKind.Result)
            {
                pickle++;
                startOfPickle = true;
                output.Append('\n');
            }
        }

        foreach (var finding in findings.Where(f => !shown.Contains(f)))
        {
            output.Append("# !! ").Append(finding.RuleCode).Append(' ').Append(finding.Severity.ToName())
                .Append(" at offset ").Append((finding.Location.ByteOffset ?? 0).ToString(CultureInfo.InvariantCulture)).Append(": ").Append(finding.Message).Append('\n');
        }

        return output.ToString();
    }

    private static string? Statement(MachineEvent e, HashSet<string> importedModules)
    {
        switch (e.Kind)
        {
            case MachineEventKind.Import:
                var global = e.Target.AsGlobal!;
                if (global.Verdict == GlobalVerdict.Unresolvable)
                {
                    return $"# {global.Opcode} imports {global.ResolvedName} (cannot be resolved statically)";
                }

                var module = ModuleOf(global);
                return importedModules.Add(module) ? $"import {module}" : null;
            case MachineEventKind.Call:
                var obj = e.Target.AsObject!;
                return $"_var{obj.Id} = {CallExpression(obj)}";
            case MachineEventKind.Build:
                return $"{Expr(e.Target)}.__setstate__({Expr(e.Argument)})";
            case MachineEventKind.Mutate:
                bool mapping = e.Argument.Kind == PickleValueKind.Dict;
                return $"{Expr(e.Target)}.{(mapping ? "update" : "extend")}({Expr(e.Argument)})";
            default:
                return $"result = {Expr(e.Target)}";
        }
    }

    private static string ModuleOf(PickleGlobal global)
    {
        // The resolved name is module + '.' + qualified name; the module is what the stream wrote (after mapping).
        var nameLength = global.Name.Length;
        var resolved = global.ResolvedName;
        return resolved.Length > nameLength + 1 && resolved.EndsWith("." + global.Name, StringComparison.Ordinal)
            ? resolved[..^(nameLength + 1)]
            : resolved[..Math.Max(0, resolved.LastIndexOf('.'))];
    }

    private static string CallExpression(PickleObject obj)
    {
        var args = ValueFormatter.FormatArguments(obj.Arguments, obj.KeywordArguments, MaxExpressionChars, objectsAsVariables: true);
        return obj.Kind switch
        {
            CallKind.PersistentLoad => $"persistent_load({Expr(obj.Arguments)})",
            CallKind.NewObj or CallKind.NewObjEx => $"{Expr(obj.Callable)}.__new__({Expr(obj.Callable)}{(args == "()" ? ")" : ", " + args[1..])}",
            _ => Expr(obj.Callable) + args,
        };
    }

    private static string Expr(PickleValue value) => ValueFormatter.Format(value, MaxExpressionChars, objectsAsVariables: true);
}
