namespace Nabla.Labs;

/// <summary>Every lab, by name.</summary>
public static class LabRegistry
{
    public static IReadOnlyList<ILab> All { get; } = typeof(LabRegistry).Assembly.GetTypes()
        .Where(t => typeof(ILab).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .Select(t => (ILab)Activator.CreateInstance(t)!)
        .OrderBy(l => l.Name, StringComparer.Ordinal)
        .ToList();

    public static ILab Find(string name) => All.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException($"unknown lab '{name}'; choose from {string.Join(", ", All.Select(l => l.Name))}");
}
