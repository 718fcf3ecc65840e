using System.Globalization;
using System.Reflection;

namespace Vigil.Core.Config;

/// <summary>Text to typed scalar values and back, for the binder, the normalizer and the docs.</summary>
internal static class ScalarConverter
{
    private static readonly MethodInfo _parseScalar = typeof(ScalarConverter).GetMethod(nameof(ParseScalar), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo _formatScalar = typeof(ScalarConverter).GetMethod(nameof(FormatScalarOf), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo _expectedScalar = typeof(ScalarConverter).GetMethod(nameof(ExpectedScalar), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Converts scalar text to <paramref name="type"/>; on failure <paramref name="reason"/> says why (without repeating the value).</summary>
    public static bool TryConvert(string text, ConfigValueType type, bool byteSize, out object? value, out string? reason)
    {
        value = null;
        reason = null;
        var s = text.Trim();
        switch (type.Kind)
        {
            case ValueKind.String:
                value = text;
                return true;
            case ValueKind.Bool:
                if (string.Equals(s, "true", StringComparison.OrdinalIgnoreCase))
                {
                    value = true;
                    return true;
                }

                if (string.Equals(s, "false", StringComparison.OrdinalIgnoreCase))
                {
                    value = false;
                    return true;
                }

                reason = "write true or false";
                return false;
            case ValueKind.Int:
                if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    value = i;
                    return true;
                }

                reason = "write a whole number like 3";
                return false;
            case ValueKind.Long when byteSize:
                if (ByteSize.TryParse(s, out var bytes, out reason))
                {
                    value = bytes;
                    return true;
                }

                return false;
            case ValueKind.Long:
                if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = l;
                    return true;
                }

                reason = "write a whole number like 3";
                return false;
            case ValueKind.Double:
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    value = d;
                    return true;
                }

                reason = "write a number like 0.5 or 85";
                return false;
            case ValueKind.Duration:
                if (Duration.TryParse(s, out var span, out reason))
                {
                    value = span;
                    return true;
                }

                return false;
            case ValueKind.Enum:
                if (EnumNames.TryParse(type.ClrType, s, out value))
                {
                    return true;
                }

                reason = $"use one of: {string.Join(", ", EnumNames.Of(type.ClrType).Select(e => e.Text))}";
                return false;
            case ValueKind.Scalar:
                var result = (object?[])_parseScalar.MakeGenericMethod(type.ClrType).Invoke(null, [s])!;
                value = result[0];
                reason = (string?)result[1];
                return value is not null;
            case ValueKind.DateTimeOffset:
                // An explicit offset is required: a bare local time would silently depend on the server's zone.
                if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto) && HasExplicitOffset(s))
                {
                    value = dto;
                    return true;
                }

                reason = "write an ISO 8601 date and time with an offset, like 2025-03-01T09:00:00Z or 2025-03-01T10:00:00+01:00";
                return false;
            case ValueKind.DateOnly:
                if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    value = date;
                    return true;
                }

                reason = "write a date like 2025-01-06";
                return false;
            case ValueKind.TimeOnly:
                if (TimeOnly.TryParseExact(s, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                {
                    value = time;
                    return true;
                }

                reason = "write a 24-hour time like 09:00";
                return false;
            case ValueKind.DayOfWeek:
                if (Weekdays.TryParse(s, out var day))
                {
                    value = day;
                    return true;
                }

                reason = "write mon, tue, wed, thu, fri, sat or sun";
                return false;
            default:
                throw new InvalidOperationException($"{type.Kind} is not a scalar kind");
        }
    }

    /// <summary>A short description of valid values, for messages and docs.</summary>
    public static string Expected(ConfigValueType type, bool byteSize) => type.Kind switch
    {
        ValueKind.String => "a string",
        ValueKind.Bool => "true or false",
        ValueKind.Int or ValueKind.Long when byteSize => ByteSize.Expected,
        ValueKind.Int or ValueKind.Long => "a whole number",
        ValueKind.Double => "a number",
        ValueKind.Duration => Duration.Expected,
        ValueKind.Enum => "one of " + string.Join(", ", EnumNames.Of(type.ClrType).Select(e => e.Text)),
        ValueKind.Scalar => (string)_expectedScalar.MakeGenericMethod(type.ClrType).Invoke(null, null)!,
        ValueKind.DateTimeOffset => "a date and time with an offset, like 2025-03-01T09:00:00Z",
        ValueKind.DateOnly => "a date like 2025-01-06",
        ValueKind.TimeOnly => "a time like 09:00",
        ValueKind.DayOfWeek => "a weekday like mon",
        ValueKind.List => "a list",
        ValueKind.Map => "a mapping",
        _ => "a mapping of keys",
    };

    /// <summary>The canonical text of a scalar value; <see cref="TryConvert"/> parses it back to the same value.</summary>
    public static string Format(object value, ConfigValueType type) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        TimeSpan t => Duration.Format(t),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("HH:mm", CultureInfo.InvariantCulture),
        DayOfWeek day => Weekdays.Format(day),
        Enum e => EnumNames.Format(type.ClrType, e),
        _ => FormatScalar(value),
    };

    private static string FormatScalar(object value) =>
        (string)_formatScalar.MakeGenericMethod(value.GetType()).Invoke(null, [value])!;

    private static bool HasExplicitOffset(string s)
    {
        var t = s.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (t < 0)
        {
            t = s.IndexOf(' ', StringComparison.Ordinal);
        }

        if (t < 0)
        {
            return false;
        }

        var timePart = s[(t + 1)..];
        return timePart.EndsWith('Z') || timePart.EndsWith('z') || timePart.Contains('+', StringComparison.Ordinal) || timePart.Contains('-', StringComparison.Ordinal);
    }

    private static object?[] ParseScalar<T>(string text)
        where T : struct, IConfigScalar<T>
    {
        return T.TryParse(text, out var value, out var error) ? [value, null] : [null, error];
    }

    private static string FormatScalarOf<T>(object value)
        where T : struct, IConfigScalar<T> => ((T)value).ToConfigString();

    private static string ExpectedScalar<T>()
        where T : struct, IConfigScalar<T> => T.Expected;
}
