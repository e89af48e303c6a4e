using System.Globalization;
using System.Text.Json;

namespace PickleGuard.Pickle.Conversion;

/// <summary>Pieces written the same way by both JSON writers (value tree and arena).</summary>
internal static class JsonScalars
{
    /// <summary>Starts <c>{"$id": n, "tag": </c> (the id only when above 0); the caller writes the tag's value and closes the object.</summary>
    public static void StartTagged(Utf8JsonWriter json, string tag, int id)
    {
        json.WriteStartObject();
        if (id > 0)
        {
            json.WriteNumber(JsonTags.Id, id);
        }

        json.WritePropertyName(tag);
    }

    /// <summary>
    /// Finite floats always carry a '.' or an exponent so that JSON readers keep them floats (1.0 stays 1.0, -0.0 keeps
    /// its sign); NaN and infinities are tagged unless the user asked for strings.
    /// </summary>
    public static void Float(Utf8JsonWriter json, double value, bool nanAsString)
    {
        if (double.IsFinite(value))
        {
            Span<byte> text = stackalloc byte[40];
            value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture);
            if (text[..length].IndexOfAny((byte)'.', (byte)'E') < 0)
            {
                text[length++] = (byte)'.';
                text[length++] = (byte)'0';
            }

            json.WriteRawValue(text[..length], skipInputValidation: true);
            return;
        }

        string name = double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        if (nanAsString)
        {
            json.WriteStringValue(name switch { "nan" => "NaN", "inf" => "Infinity", _ => "-Infinity" });
            return;
        }

        json.WriteStartObject();
        json.WriteString(JsonTags.Float, name);
        json.WriteEndObject();
    }

    /// <summary>A str with lone surrogates, which JSON text cannot hold: <c>{"$str": [UTF-16 code units]}</c>.</summary>
    public static void CodeUnits(Utf8JsonWriter json, ReadOnlySpan<char> text)
    {
        json.WriteStartObject();
        json.WriteStartArray(JsonTags.Str);
        foreach (char c in text)
        {
            json.WriteNumberValue(c);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
