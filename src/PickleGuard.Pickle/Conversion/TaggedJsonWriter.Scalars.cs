using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>Numbers, text and bytes.</summary>
internal sealed partial class TaggedJsonWriter
{
    private void BigInt(string digits)
    {
        if (digits.Length == 0 || digits[0] == '<')
        {
            _budget.Fail($"an integer of {digits.Trim('<', '>')} is larger than the conversion keeps");
            return;
        }

        if (_budget.Spend(digits.Length))
        {
            _json?.WriteRawValue(digits, skipInputValidation: true);
        }
    }

    private void Float(double value)
    {
        if (_json is not null)
        {
            JsonScalars.Float(_json, value, options.NanAsString);
        }
    }

    private void Str(PickleValue value)
    {
        if (!value.IsCompleteStr)
        {
            _budget.Fail("a str is longer than the conversion keeps");
            return;
        }

        var text = value.AsString!;
        if (!_budget.Spend(text.Length) || _json is null)
        {
            return;
        }

        if (IsWellFormed(text))
        {
            _json.WriteStringValue(text);
            return;
        }

        // Python strs may hold lone surrogates, which JSON text cannot: write the code units instead.
        JsonScalars.CodeUnits(_json, text);
    }

    /// <summary>True when the UTF-16 text has no lone surrogate.</summary>
    private static bool IsWellFormed(string text)
    {
        int i = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return true;
        }

        for (; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void Bytes(string tag, PickleBytes bytes, object? identity)
    {
        if (!bytes.IsComplete)
        {
            _budget.Fail($"a {bytes.DeclaredLength}-byte bytes value is larger than the conversion keeps");
            return;
        }

        int id = 0;
        if (identity is not null && IsRepeat(identity, out id))
        {
            return;
        }

        BytesTag(tag, bytes.Prefix, id);
    }

    private void BytesTag(string tag, byte[] data, int id)
    {
        if (!_budget.Spend(data.Length) || _json is null)
        {
            return;
        }

        Tagged(tag, id);
        _json.WriteBase64StringValue(data);
        _json.WriteEndObject();
    }
}
