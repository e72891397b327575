namespace Nabla.NN;

/// <summary>
/// The one place an option's text form (a CLI argument, a config-file value, PyTorch's spelling) is turned into its
/// enum: a table of (value, canonical name, aliases), matched case-insensitively, with an error that lists the
/// canonical names when nothing matches.
/// </summary>
internal static class OptionNames
{
    public static T Parse<T>(string? text, string what, IReadOnlyList<(T Value, string Name, string[] Aliases)> table) where T : struct, Enum
    {
        if (text is not null)
        {
            foreach (var (value, name, aliases) in table)
                if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase) || aliases.Any(a => string.Equals(text, a, StringComparison.OrdinalIgnoreCase)))
                    return value;
        }
        throw new ArgumentException(
            $"unknown {what} '{text}'; valid values: {string.Join(", ", table.Select(r => r.Name))}", what.Replace(' ', '_'));
    }

    public static string Name<T>(T value, IReadOnlyList<(T Value, string Name, string[] Aliases)> table) where T : struct, Enum
    {
        foreach (var row in table)
            if (EqualityComparer<T>.Default.Equals(row.Value, value)) return row.Name;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(T).Name}");
    }
}
