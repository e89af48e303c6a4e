using System.Globalization;
using System.Text;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Rendering;

/// <summary>Python-like <c>repr</c> of symbolic values, bounded in depth and length.</summary>
public static class ValueFormatter
{
    private const int MaxDepth = 6;

    /// <summary>Formats a value; call results are shown as <c>callable(args)</c>, or as <c>_varN</c> when <paramref name="objectsAsVariables"/>.</summary>
    public static string Format(PickleValue value, int maxLength, bool objectsAsVariables = false)
    {
        var builder = new StringBuilder();
        Append(builder, value, maxLength, objectsAsVariables, 0);
        return Shorten(builder, maxLength);
    }

    /// <summary>Formats a call's argument tuple and keyword dict as <c>(a, b, key=value)</c>.</summary>
    public static string FormatArguments(PickleValue args, PickleValue kwargs, int maxLength, bool objectsAsVariables = false)
    {
        var builder = new StringBuilder("(");
        AppendArguments(builder, args, kwargs, maxLength, objectsAsVariables, 0);
        builder.Append(')');
        return Shorten(builder, maxLength);
    }

    private static string Shorten(StringBuilder builder, int maxLength) =>
        builder.Length <= maxLength ? builder.ToString() : builder.ToString(0, Math.Max(0, maxLength - 3)) + "...";

    private static void AppendArguments(StringBuilder b, PickleValue args, PickleValue kwargs, int budget, bool vars, int depth)
    {
        bool first = true;
        if (args.AsContainer is { Kind: PickleValueKind.Tuple } tuple)
        {
            foreach (var item in tuple.Items)
            {
                if (!first) b.Append(", ");
                first = false;
                Append(b, item, budget, vars, depth + 1);
                if (b.Length > budget) return;
            }

            if (!tuple.IsComplete) b.Append(", ...");
        }
        else if (args.Kind != PickleValueKind.None)
        {
            b.Append('*');
            Append(b, args, budget, vars, depth + 1);
            first = false;
        }

        if (kwargs.AsContainer is { Kind: PickleValueKind.Dict } dict)
        {
            for (int i = 0; i + 1 < dict.Items.Count; i += 2)
            {
                if (!first) b.Append(", ");
                first = false;
                if (dict.Items[i].IsCompleteStr) b.Append(dict.Items[i].AsString).Append('=');
                else { b.Append("**{"); Append(b, dict.Items[i], budget, vars, depth + 1); b.Append(": "); }
                Append(b, dict.Items[i + 1], budget, vars, depth + 1);
                if (!dict.Items[i].IsCompleteStr) b.Append('}');
            }
        }
        else if (kwargs.Kind != PickleValueKind.None)
        {
            if (!first) b.Append(", ");
            b.Append("**");
            Append(b, kwargs, budget, vars, depth + 1);
        }
    }

    private static void Append(StringBuilder b, PickleValue value, int budget, bool vars, int depth)
    {
        if (b.Length > budget) return;
        if (depth > MaxDepth)
        {
            b.Append("...");
            return;
        }

        if (value.IsElided)
        {
            b.Append('<').Append(value.Kind.ToString().ToLowerInvariant()).Append('>');
            return;
        }

        switch (value.Kind)
        {
            case PickleValueKind.None: b.Append("None"); break;
            case PickleValueKind.Bool: b.Append(value.AsBool ? "True" : "False"); break;
            case PickleValueKind.Int: b.Append(value.Scalar.ToString(CultureInfo.InvariantCulture)); break;
            case PickleValueKind.BigInt: b.Append(value.AsString); break;
            case PickleValueKind.Float: b.Append(FormatFloat(value.AsFloat)); break;
            case PickleValueKind.Str:
                AppendStr(b, value.AsString!, budget);
                if (!value.IsCompleteStr) b.Append("+...");
                break;
            case PickleValueKind.Bytes:
            case PickleValueKind.ByteArray:
                var bytes = value.AsBytes!;
                if (value.Kind == PickleValueKind.ByteArray) b.Append("bytearray(");
                AppendBytes(b, bytes.Prefix, budget);
                if (!bytes.IsComplete) b.Append($"+...<{bytes.DeclaredLength} bytes>");
                if (value.Kind == PickleValueKind.ByteArray) b.Append(')');
                break;
            case PickleValueKind.Global: b.Append(value.AsGlobal!.ResolvedName); break;
            case PickleValueKind.Object:
                AppendObject(b, value.AsObject!, budget, vars, depth);
                break;
            case PickleValueKind.Buffer: b.Append("<out-of-band buffer>"); break;
            default:
                AppendContainer(b, value.AsContainer!, budget, vars, depth);
                break;
        }
    }

    private static void AppendObject(StringBuilder b, PickleObject obj, int budget, bool vars, int depth)
    {
        if (vars)
        {
            b.Append("_var").Append(obj.Id.ToString(CultureInfo.InvariantCulture));
            return;
        }

        switch (obj.Kind)
        {
            case CallKind.PersistentLoad:
                b.Append("persistent_load(");
                Append(b, obj.Arguments, budget, vars, depth + 1);
                b.Append(')');
                return;
            case CallKind.NewObj or CallKind.NewObjEx:
                Append(b, obj.Callable, budget, vars, depth + 1);
                b.Append(".__new__");
                break;
            default:
                Append(b, obj.Callable, budget, vars, depth + 1);
                break;
        }

        b.Append('(');
        AppendArguments(b, obj.Arguments, obj.KeywordArguments, budget, vars, depth);
        b.Append(')');
    }

    private static void AppendContainer(StringBuilder b, PickleContainer c, int budget, bool vars, int depth)
    {
        var (open, close) = c.Kind switch
        {
            PickleValueKind.List => ("[", "]"),
            PickleValueKind.Tuple => ("(", c.Count == 1 ? ",)" : ")"),
            PickleValueKind.Dict => ("{", "}"),
            PickleValueKind.Set => (c.Count == 0 ? "set(" : "{", c.Count == 0 ? ")" : "}"),
            _ => ("frozenset({", "})"),
        };
        b.Append(open);
        int step = c.Kind == PickleValueKind.Dict ? 2 : 1;
        for (int i = 0; i + step - 1 < c.Items.Count; i += step)
        {
            if (b.Length > budget) return;
            if (i > 0) b.Append(", ");
            Append(b, c.Items[i], budget, vars, depth + 1);
            if (step == 2)
            {
                b.Append(": ");
                Append(b, c.Items[i + 1], budget, vars, depth + 1);
            }
        }

        if (!c.IsComplete) b.Append(c.Items.Count > 0 ? ", ..." : "...");
        b.Append(close);
    }

    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text.Replace("E", "e", StringComparison.Ordinal) : text + ".0";
    }

    private static void AppendStr(StringBuilder b, string s, int budget)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        b.Append(quote);
        foreach (char ch in s)
        {
            if (b.Length > budget) break;
            switch (ch)
            {
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (ch == quote) b.Append('\\').Append(ch);
                    else if (ch < 0x20 || ch == 0x7f) b.Append("\\x").Append(((int)ch).ToString("x2", CultureInfo.InvariantCulture));
                    else if (char.IsSurrogate(ch) || (ch >= 0x80 && ch < 0xa0)) b.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    else b.Append(ch);
                    break;
            }
        }

        b.Append(quote);
    }

    private static void AppendBytes(StringBuilder b, byte[] bytes, int budget)
    {
        b.Append("b'");
        foreach (byte x in bytes)
        {
            if (b.Length > budget) break;
            switch (x)
            {
                case (byte)'\\': b.Append("\\\\"); break;
                case (byte)'\'': b.Append("\\'"); break;
                case (byte)'\n': b.Append("\\n"); break;
                case (byte)'\r': b.Append("\\r"); break;
                case (byte)'\t': b.Append("\\t"); break;
                default:
                    if (x < 0x20 || x >= 0x7f) b.Append("\\x").Append(x.ToString("x2", CultureInfo.InvariantCulture));
                    else b.Append((char)x);
                    break;
            }
        }

        b.Append('\'');
    }
}
