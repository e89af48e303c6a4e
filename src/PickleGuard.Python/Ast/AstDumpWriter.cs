using System.Globalization;
using System.Text;

namespace PickleGuard.Python;

/// <summary>Writes the dump; the per-node methods are generated (AstDumpWriter.g.cs).</summary>
internal sealed partial class AstDumpWriter : AstWalker
{
    private readonly StringBuilder _out = new();
    private readonly SourceText _source;

    public AstDumpWriter(SourceText source) => _source = source;

    public override string ToString() => _out.ToString();

    private void Open(string name) => _out.Append(name).Append('(');

    private void Field(string name, bool first)
    {
        if (!first)
        {
            _out.Append(", ");
        }

        _out.Append(name).Append('=');
    }

    private void Close(Node node, bool withPosition)
    {
        _out.Append(')');
        if (!withPosition)
        {
            return;
        }

        LinePosition start = _source.GetLinePosition(node.Span.Start);
        LinePosition end = _source.GetLinePosition(node.Span.End);
        _out.Append('@').Append(start.Line).Append(':').Append(start.Utf8Column)
            .Append('-').Append(end.Line).Append(':').Append(end.Utf8Column);
    }

    private void Raw(string text) => _out.Append(text);

    private void Int(int value) => _out.Append(value.ToString(CultureInfo.InvariantCulture));

    private void Child(Node? node)
    {
        if (node == null)
        {
            _out.Append("None");
        }
        else
        {
            node.Accept(this);
        }
    }

    private void List<T>(IReadOnlyList<T?> nodes)
        where T : Node
    {
        _out.Append('[');
        for (int i = 0; i < nodes.Count; i++)
        {
            if (i > 0)
            {
                _out.Append(", ");
            }

            Child(nodes[i]);
        }

        _out.Append(']');
    }

    private void String(string? value)
    {
        if (value == null)
        {
            _out.Append("None");
        }
        else
        {
            JsonString(value);
        }
    }

    private void Strings(IReadOnlyList<string> values)
    {
        _out.Append('[');
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _out.Append(", ");
            }

            JsonString(values[i]);
        }

        _out.Append(']');
    }

    private void Operator<T>(T value)
        where T : struct, Enum => _out.Append(value.ToString()).Append("()");

    private void Operators(IReadOnlyList<CompareOperator> values)
    {
        _out.Append('[');
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _out.Append(", ");
            }

            Operator(values[i]);
        }

        _out.Append(']');
    }

    private void Constant(ConstantValue value)
    {
        switch (value.Type)
        {
            case ConstantType.None:
            case ConstantType.True:
            case ConstantType.False:
            case ConstantType.Ellipsis:
                _out.Append(value.Type.ToString());
                return;
            case ConstantType.Int:
                _out.Append("int:").Append(value.AsInteger.ToString(CultureInfo.InvariantCulture));
                return;
            case ConstantType.Float:
                _out.Append("float:");
                FloatBits(value.AsFloat);
                return;
            case ConstantType.Complex:
                _out.Append("complex:");
                FloatBits(value.AsComplex.Real);
                _out.Append('/');
                FloatBits(value.AsComplex.Imaginary);
                return;
            case ConstantType.Str:
                _out.Append("str:");
                JsonString(value.AsString ?? string.Empty);
                return;
            default:
                _out.Append("bytes:").Append(Convert.ToHexStringLower(value.AsBytes ?? Array.Empty<byte>()));
                return;
        }
    }

    private void FloatBits(double value) =>
        _out.Append(BitConverter.DoubleToInt64Bits(value).ToString("x16", CultureInfo.InvariantCulture));

    /// <summary>Python's json.dumps(s, ensure_ascii=True).</summary>
    private void JsonString(string value)
    {
        _out.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"':
                    _out.Append("\\\"");
                    break;
                case '\\':
                    _out.Append("\\\\");
                    break;
                case '\n':
                    _out.Append("\\n");
                    break;
                case '\r':
                    _out.Append("\\r");
                    break;
                case '\t':
                    _out.Append("\\t");
                    break;
                case '\b':
                    _out.Append("\\b");
                    break;
                case '\f':
                    _out.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        _out.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _out.Append(c);
                    }

                    break;
            }
        }

        _out.Append('"');
    }
}
