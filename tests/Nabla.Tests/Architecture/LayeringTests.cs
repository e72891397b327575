using System.Text.RegularExpressions;

namespace Nabla.Tests.Architecture;

/// <summary>
/// Fails on a forbidden dependency between the layers of src/Nabla (ARCHITECTURE.md): each folder may name only the
/// namespaces its layer may use. Read from the sources: `using Nabla.X` lines and fully qualified `Nabla.X.` names.
/// </summary>
public class LayeringTests
{
    // Tensors, Autograd and Ops share the everyday namespace `Nabla` (one `using Nabla;` for users), which every
    // Nabla.* namespace sees without a using line, so the rules below guard the areas with their own namespace
    // (a kernel may not see Tensor; Tensors/Autograd/Ops may not use NN, Optim, Data, IO, Training, Models; ...).
    private static readonly (string Folder, string[] Allowed)[] Rules =
    [
        ("Tensors/Kernels", ["Nabla.Tensors.Kernels"]),
        ("Tensors", ["Nabla.Tensors.Kernels"]),
        ("Autograd", ["Nabla.Tensors.Kernels"]),
        ("Ops", ["Nabla.Tensors.Kernels"]),
        ("NN", ["Nabla.NN"]),
        ("Models", ["Nabla.Models", "Nabla.NN"]),
        ("Optim", ["Nabla.Optim", "Nabla.Tensors.Kernels"]),
        ("Data", ["Nabla.Data", "Nabla.Tensors.Kernels"]),
        ("IO/Onnx", ["Nabla.IO", "Nabla.Models", "Nabla.NN"]),
        ("IO", ["Nabla.IO", "Nabla.Tensors.Kernels"]),
    ];

    private static readonly HashSet<string> EverydayTypes =
        typeof(Tensor).Assembly.GetTypes().Where(t => t.Namespace == "Nabla").Select(t => t.Name.Split('`')[0]).ToHashSet();

    internal static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Nabla.slnx"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("repository root (Nabla.slnx) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A C# string literal ("...", $"...", @"..."): names inside text are not dependencies.</summary>
    private static readonly Regex StringLiteral = new("""\$?@?"(?:[^"\\]|\\.)*" """.TrimEnd(), RegexOptions.Compiled);

    private static readonly Regex NablaName = new(@"\bNabla\.(Tensors\.Kernels|[A-Z][A-Za-z]+)\b", RegexOptions.Compiled);

    [Fact]
    public void Layers_only_use_what_they_may()
    {
        var src = Path.Combine(RepoRoot(), "src", "Nabla");
        var violations = new List<string>();
        int checkedFiles = 0;
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(src, file).Replace('\\', '/');
            if (rel.StartsWith("bin/") || rel.StartsWith("obj/")) continue;
            var rule = Rules.FirstOrDefault(r => rel.StartsWith(r.Folder + "/"));
            if (rule.Folder is null) continue;
            checkedFiles++;
            int lineNo = 0;
            foreach (var raw in File.ReadLines(file))
            {
                lineNo++;
                var line = StringLiteral.Replace(raw.TrimStart(), "\"\"");
                if (line.StartsWith("//") || line.StartsWith("namespace ")) continue;
                foreach (Match m in NablaName.Matches(line))
                {
                    if (EverydayTypes.Contains(m.Groups[1].Value)) continue;   // Nabla.Tensor: a type, not a layer
                    var ns = "Nabla." + m.Groups[1].Value;
                    if (!rule.Allowed.Contains(ns)) violations.Add($"{rel}:{lineNo} uses {ns}");
                }
            }
            if (rule.Folder == "Tensors/Kernels")
                foreach (var (l, i) in File.ReadLines(file).Select((l, i) => (l, i)))
                    if (!l.TrimStart().StartsWith("//") && Regex.IsMatch(l, @"\bTensor\b(?!s)"))
                        violations.Add($"{rel}:{i + 1} a kernel sees a Tensor");
        }
        Assert.True(checkedFiles > 20, $"only {checkedFiles} files checked: is the source tree where the test expects it?");
        Assert.True(violations.Count == 0, "forbidden dependencies:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_core_library_references_no_plotting_or_cli_project()
    {
        var csproj = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Nabla", "Nabla.csproj"));
        Assert.DoesNotContain("ProjectReference", csproj);
    }
}
