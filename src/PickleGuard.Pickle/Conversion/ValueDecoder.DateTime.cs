using System.Globalization;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// The datetime family as CPython pickles it (<c>Modules/_datetimemodule.c</c>, <c>__reduce_ex__</c>): date is 4 state
/// bytes (year high, year low, month, day), time is 6 (hour, minute, second, microsecond as 3 big-endian bytes),
/// datetime is 10 (the date bytes then the time bytes); the fold bit is 128 added to the month (datetime) or hour
/// (time). A tzinfo follows as a second argument. timedelta is (days, seconds, microseconds); timezone is (offset[, name]).
/// </summary>
internal sealed partial class ValueDecoder
{
    private DecodedObject? DecodeDateTime(string className, IReadOnlyList<PickleValue> a) => className switch
    {
        "datetime.date" => a is [var state] && BytesOf(state, allowText: true) is { Length: 4 } d && DateText(d) is { } date
            ? new DecodedObject(DecodedKind.Date) { Text = date }
            : null,
        "datetime.time" => a.Count is 1 or 2 && BytesOf(a[0], allowText: true) is { Length: 6 } t
            ? WithZone(DecodedKind.Time, TimeText(t, out int fold), fold, a.Count == 2 ? a[1] : PickleValue.None)
            : null,
        "datetime.datetime" => a.Count is 1 or 2 && BytesOf(a[0], allowText: true) is { Length: 10 } dt
            ? WithZone(DecodedKind.DateTime, DateTimeText(dt, out int dtFold), dtFold, a.Count == 2 ? a[1] : PickleValue.None)
            : null,
        "datetime.timedelta" => a is [var days, var seconds, var micros] && TimeDelta(days, seconds, micros) is { } delta
            ? new DecodedObject(DecodedKind.TimeDelta) { Numbers = delta }
            : null,
        "datetime.timezone" => DecodeTimeZone(a),
        _ => null,
    };

    private DecodedObject? WithZone(DecodedKind kind, string? text, int fold, PickleValue tzinfo)
    {
        if (text is null)
        {
            return null;
        }

        if (tzinfo.Kind == PickleValueKind.None)
        {
            return new DecodedObject(kind) { Text = text, Numbers = [fold] };
        }

        if (tzinfo.AsObject is { } zone && Decode(zone) is { Kind: DecodedKind.TimeZone } timezone)
        {
            return new DecodedObject(kind) { Text = text + timezone.Text, Numbers = [fold], Name = timezone.Name };
        }

        // Another tzinfo (zoneinfo, a user class): keep the value next to the naive time.
        return new DecodedObject(kind) { Text = text, Numbers = [fold], Extra = tzinfo };
    }

    private DecodedObject? DecodeTimeZone(IReadOnlyList<PickleValue> a)
    {
        if (a.Count is not (1 or 2) || a[0].AsObject is not { } offsetObject || Decode(offsetObject) is not { Kind: DecodedKind.TimeDelta } offset)
        {
            return null;
        }

        string? name = null;
        if (a.Count == 2)
        {
            if (!a[1].IsCompleteStr)
            {
                return null;
            }

            name = a[1].AsString;
        }

        long total = offset.Numbers[0] * 86_400_000_000L + offset.Numbers[1] * 1_000_000L + offset.Numbers[2];
        if (Math.Abs(total) >= 86_400_000_000L)
        {
            return null;
        }

        return new DecodedObject(DecodedKind.TimeZone) { Text = OffsetText(total), Name = name, Numbers = offset.Numbers };
    }

    /// <summary>Python's isoformat of a UTC offset: ±HH:MM, then :SS and .ffffff only when not zero.</summary>
    private static string OffsetText(long totalMicros)
    {
        char sign = totalMicros < 0 ? '-' : '+';
        long m = Math.Abs(totalMicros);
        long hours = m / 3_600_000_000L, minutes = m / 60_000_000L % 60, seconds = m / 1_000_000L % 60, micros = m % 1_000_000L;
        var text = $"{sign}{hours:00}:{minutes:00}";
        if (seconds != 0 || micros != 0)
        {
            text += $":{seconds:00}";
        }

        return micros != 0 ? text + $".{micros:000000}" : text;
    }

    private static long[]? TimeDelta(PickleValue days, PickleValue seconds, PickleValue micros)
    {
        if (!TryInt(days, out long d) || !TryInt(seconds, out long s) || !TryInt(micros, out long us))
        {
            return null;
        }

        // CPython's normalized form; anything else was not written by it.
        return Math.Abs(d) <= 999_999_999 && s is >= 0 and < 86_400 && us is >= 0 and < 1_000_000 ? [d, s, us] : null;
    }

    private static string? DateText(ReadOnlySpan<byte> b)
    {
        int year = b[0] * 256 + b[1], month = b[2], day = b[3];
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}-{day:00}")
            : null;
    }

    private static string? TimeText(ReadOnlySpan<byte> b, out int fold)
    {
        fold = b[0] >= 128 ? 1 : 0;
        int hour = b[0] & 0x7F, minute = b[1], second = b[2], micro = (b[3] << 16) | (b[4] << 8) | b[5];
        if (hour > 23 || minute > 59 || second > 59 || micro > 999_999)
        {
            return null;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}:{second:00}");
        return micro != 0 ? text + string.Create(CultureInfo.InvariantCulture, $".{micro:000000}") : text;
    }

    private static string? DateTimeText(ReadOnlySpan<byte> b, out int fold)
    {
        fold = b[2] >= 128 ? 1 : 0;
        Span<byte> date = [b[0], b[1], (byte)(b[2] & 0x7F), b[3]];
        var datePart = DateText(date);
        var timePart = TimeText(b[4..], out _);
        return datePart is null || timePart is null ? null : datePart + "T" + timePart;
    }
}
