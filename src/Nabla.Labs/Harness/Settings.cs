using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Nabla.Labs;

/// <summary>Marks a property of a lab's settings record as a documented, overridable setting
/// (<c>./nabla lab run NAME --set key=value</c>). The key is the property name in kebab-case unless <see cref="Key"/> is
/// given; <see cref="Min"/>/<see cref="Max"/> bound numeric values (checked before the lab allocates anything).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>Command-line key (default: the property name in kebab-case, e.g. LearningRate → learning-rate).</summary>
    public string? Key { get; set; }

    public double Min { get; set; } = double.NegativeInfinity;

    public double Max { get; set; } = double.PositiveInfinity;
}

/// <summary>One documented setting of a lab: its key, type, the quick and full values, and what it means.</summary>
public sealed record SettingInfo(string Key, string Type, string QuickValue, string FullValue, string Description);

/// <summary>Reads and overrides the <see cref="SettingAttribute"/> properties of a settings record by reflection.
/// Supported types: int, long, double, float, bool, string, enums, nullable forms of those, and arrays of int, double
/// or string (comma-separated).</summary>
public static class LabSettings
{
    private sealed record Entry(string Key, PropertyInfo Property, SettingAttribute Attribute);

    private static IReadOnlyList<Entry> Entries(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
         .Select(p => (p, a: p.GetCustomAttribute<SettingAttribute>()))
         .Where(x => x.a is not null)
         .Select(x => new Entry(x.a!.Key ?? Kebab(x.p.Name), x.p, x.a!))
         .ToList();

    /// <summary>LearningRate → learning-rate, TrainImages → train-images, Lr → lr.</summary>
    public static string Kebab(string name) => Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant();

    public static IReadOnlyList<SettingInfo> Describe<T>(T quick, T full) where T : class =>
        Entries(typeof(T)).Select(e => new SettingInfo(e.Key, TypeName(e.Property.PropertyType),
            Show(e.Property.GetValue(quick)), Show(e.Property.GetValue(full)), e.Attribute.Description)).ToList();

    /// <summary>A copy of <paramref name="settings"/> with <paramref name="overrides"/> applied. Throws
    /// <see cref="ArgumentException"/> naming the key for an unknown key (with the list of valid ones), a value that
    /// does not parse, a non-finite number, or a number outside the setting's bounds.</summary>
    public static T Apply<T>(T settings, IReadOnlyDictionary<string, string>? overrides, string labName) where T : class
    {
        if (overrides is null || overrides.Count == 0) return settings;
        var entries = Entries(typeof(T)).ToDictionary(e => e.Key);
        var clone = (T)(typeof(T).GetMethod("<Clone>$")?.Invoke(settings, null)
            ?? throw new InvalidOperationException($"{typeof(T).Name} must be a record"));
        foreach (var (key, text) in overrides)
        {
            if (!entries.TryGetValue(key, out var e))
                throw new ArgumentException(entries.Count == 0
                    ? $"lab '{labName}' has no settings; '--set {key}=…' is not accepted"
                    : $"lab '{labName}' has no setting '{key}'; valid settings: {string.Join(", ", entries.Keys.Order(StringComparer.Ordinal))}");
            e.Property.SetValue(clone, Parse(e, text, labName));
        }
        return clone;
    }

    private static object? Parse(Entry e, string text, string lab)
    {
        Type t = Nullable.GetUnderlyingType(e.Property.PropertyType) ?? e.Property.PropertyType;
        string what = $"lab '{lab}': setting '{e.Key}' ({TypeName(e.Property.PropertyType)})";
        if (Nullable.GetUnderlyingType(e.Property.PropertyType) is not null && text is "" or "none" or "null") return null;
        try
        {
            if (t.IsArray)
            {
                var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var arr = Array.CreateInstance(t.GetElementType()!, parts.Length);
                for (int i = 0; i < parts.Length; i++) arr.SetValue(Scalar(t.GetElementType()!, parts[i], e, what), i);
                return arr;
            }
            return Scalar(t, text, e, what);
        }
        catch (FormatException) { throw new ArgumentException($"{what}: cannot read '{text}'"); }
        catch (OverflowException) { throw new ArgumentException($"{what}: '{text}' is out of range"); }
    }

    private static object Scalar(Type t, string s, Entry e, string what)
    {
        var inv = CultureInfo.InvariantCulture;
        if (t == typeof(string)) return s;
        if (t == typeof(bool))
            return s.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw new FormatException(),
            };
        if (t.IsEnum)
        {
            if (Enum.TryParse(t, s.Replace("-", ""), ignoreCase: true, out var v) && Enum.IsDefined(t, v!)) return v!;
            throw new ArgumentException($"{what}: '{s}' is not one of {string.Join(", ", Enum.GetNames(t).Select(Kebab))}");
        }
        double d = double.Parse(s, NumberStyles.Float, inv);
        if (!double.IsFinite(d)) throw new ArgumentException($"{what}: '{s}' is not a finite number");
        if (d < e.Attribute.Min || d > e.Attribute.Max)
            throw new ArgumentException($"{what}: {s} is outside [{Show(e.Attribute.Min)}, {Show(e.Attribute.Max)}]");
        if (t == typeof(double)) return d;
        if (t == typeof(float)) return (float)d;
        if (t == typeof(int)) return int.Parse(s, NumberStyles.Integer, inv);
        if (t == typeof(long)) return long.Parse(s, NumberStyles.Integer, inv);
        if (t == typeof(ulong)) return ulong.Parse(s, NumberStyles.Integer, inv);
        throw new NotSupportedException($"{what}: type {t.Name} cannot be set from the command line");
    }

    private static string TypeName(Type t) =>
        Nullable.GetUnderlyingType(t) is { } u ? TypeName(u) + "?" :
        t.IsArray ? TypeName(t.GetElementType()!) + "[]" :
        t.IsEnum ? string.Join("|", Enum.GetNames(t).Select(Kebab)) :
        t == typeof(int) ? "int" : t == typeof(long) ? "long" : t == typeof(double) ? "double" : t == typeof(float) ? "float" :
        t == typeof(bool) ? "bool" : t == typeof(string) ? "string" : t.Name;

    /// <summary>The value as it would be written after <c>--set key=</c>.</summary>
    public static string Show(object? v) => v switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        Enum en => Kebab(en.ToString()),
        double d when double.IsInfinity(d) => d > 0 ? "inf" : "-inf",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable xs and not string => string.Join(",", xs.Cast<object?>().Select(Show)),
        _ => v.ToString() ?? "",
    };
}
