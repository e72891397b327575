using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Nabla.Tests.Architecture;
using Nabla.Tests.Data;

namespace Nabla.Tests.Samples;

/// <summary>
/// The notebook samples/notebooks/mnist-mlp.ipynb runs: its C# cells are extracted from the .ipynb JSON into one
/// console program (cells in order, as the kernel runs them; their using directives hoisted; <c>#r "nuget: Nabla"</c>
/// and <c>"nuget: Nabla.Plots"</c> become project references (the notebook has no <c>#i</c>: the local feed is a NuGet
/// source of the user, as .NET Interactive rejects a relative <c>#i</c> path); <c>display</c> and
/// <c>HTML</c>, which the .NET Interactive kernel provides, are small stand-ins that check and describe what would
/// be shown), the cell tagged "parameters" gets a small data budget, and the program is built and run with
/// <c>dotnet run</c>. No notebook kernel or tool is installed, so CI stays fast and offline. The notebook itself was
/// also run for real with dotnet-repl (see samples/notebooks/README.md).
/// </summary>
[Collection(DotnetChildCollection.Name)]
public class NotebookTests
{
    private const string NotebookPath = "samples/notebooks/mnist-mlp.ipynb";

    /// <summary>The test's budget: variable → value, substituted in the parameters cell.</summary>
    private static readonly Dictionary<string, int> Budget = new() { ["trainImages"] = 1000, ["validationImages"] = 500, ["epochs"] = 2 };

    private static readonly Regex Directive = new(@"^\s*#(?<kind>[ri])\s+""(?<arg>[^""]*)""\s*$", RegexOptions.Compiled);
    private static readonly Regex UsingDirective = new(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*\s*;\s*(//.*)?$", RegexOptions.Compiled);

    internal sealed record Cell(int Index, string Code, bool IsParameters);

    /// <summary>The notebook's code cells; every one must be C#.</summary>
    internal static List<Cell> CodeCells(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var cells = new List<Cell>();
        int index = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            var meta = cell.GetProperty("metadata");
            string? language = meta.TryGetProperty("polyglot_notebook", out var pn) && pn.TryGetProperty("kernelName", out var k) ? k.GetString()
                : meta.TryGetProperty("dotnet_interactive", out var di) && di.TryGetProperty("language", out var l) ? l.GetString() : "csharp";
            Assert.True(language == "csharp", $"{NotebookPath} cell {index} is {language}, not C#: this test runs C# cells only");
            var source = cell.GetProperty("source");
            string code = source.ValueKind == JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(s => s.GetString())) : source.GetString() ?? "";
            bool parameters = meta.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => t.GetString() == "parameters");
            cells.Add(new Cell(index, code.Replace("\r\n", "\n"), parameters));
        }
        return cells;
    }

    /// <summary>The release version, from Directory.Build.props: what <c>#r "nuget: Nabla, V"</c> must name.</summary>
    private static string Version() =>
        XDocument.Load(Path.Combine(LayeringTests.RepoRoot(), "Directory.Build.props")).Descendants("Version").Single().Value;

    /// <summary>Program.cs for the cells: the references it found go to <paramref name="project"/>.</summary>
    internal static string Translate(IReadOnlyList<Cell> cells, GeneratedProject project, IReadOnlyDictionary<string, int> budget)
    {
        var usings = new List<string> { "using static NotebookKernel;" };
        var body = new StringBuilder();
        var feeds = new List<string>();
        var unset = new HashSet<string>(budget.Keys);
        foreach (var cell in cells)
        {
            string code = cell.Code;
            if (cell.IsParameters)
                foreach (var (name, value) in budget)
                {
                    var declaration = new Regex($@"\b(int|var)\s+{name}\s*=\s*[0-9_]+\s*;");
                    if (declaration.IsMatch(code)) unset.Remove(name);
                    code = declaration.Replace(code, $"int {name} = {value.ToString(CultureInfo.InvariantCulture)};");
                }
            var lines = code.Split('\n');
            body.AppendLine($"#line 1 \"{Path.GetFileName(NotebookPath)} cell {cell.Index}\"");
            foreach (var line in lines)
            {
                var d = Directive.Match(line);
                if (d.Success)
                {
                    string arg = d.Groups["arg"].Value;
                    Assert.True(arg.StartsWith("nuget:", StringComparison.Ordinal), $"cell {cell.Index}: only nuget: references are supported here: {line}");
                    string spec = arg["nuget:".Length..].Trim();
                    if (d.Groups["kind"].Value == "i") feeds.Add(spec);
                    else
                    {
                        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
                        Assert.True(parts.Length == 2 && parts[0] is "Nabla" or "Nabla.Plots",
                            $"cell {cell.Index}: '{line.Trim()}': the notebook may reference Nabla and Nabla.Plots (id, version) only");
                        Assert.True(parts[1] == Version(), $"cell {cell.Index}: '{line.Trim()}' names version {parts[1]}, the release is {Version()} (Directory.Build.props)");
                        project.ReferenceSource(parts[0]);
                    }
                    body.AppendLine();   // keeps the #line numbering
                }
                else if (UsingDirective.IsMatch(line))
                {
                    if (!usings.Contains(line.Trim())) usings.Add(line.Trim());
                    body.AppendLine();
                }
                else body.AppendLine(line);
            }
        }
        Assert.True(unset.Count == 0, $"the parameters cell does not declare {string.Join(", ", unset)} as 'int name = number;'");
        // .NET Interactive rejects a relative #i path ("Invalid URI") and an absolute one ties the notebook to one machine:
        // the local feed is a NuGet source of the user instead (the notebook's first cell says how).
        Assert.True(feeds.Count == 0, $"the notebook adds package sources with #i ({string.Join(", ", feeds)}); register the feed with dotnet nuget add source instead");
        return string.Join('\n', usings) + "\n" + body + "#line default\n";
    }

    /// <summary>Stand-ins for what the .NET Interactive kernel provides: <c>display(HTML(...))</c> checks that an inline
    /// PNG decodes (signature and IHDR size) and prints what the notebook would show.</summary>
    private const string KernelShim = """
        using System.Buffers.Binary;
        using System.Text.RegularExpressions;

        internal sealed record HtmlString(string Html);

        internal static class NotebookKernel
        {
            public static HtmlString HTML(string html) => new(html);

            public static void display(object? value)
            {
                if (value is not HtmlString h) { Console.WriteLine($"[display] {value}"); return; }
                foreach (Match m in Regex.Matches(h.Html, "data:image/png;base64,([A-Za-z0-9+/=]+)"))
                {
                    byte[] png = Convert.FromBase64String(m.Groups[1].Value);
                    byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
                    if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(signature) || png[12] != 'I' || png[15] != 'R')
                        throw new InvalidDataException("display: the inline image is not a PNG");
                    Console.WriteLine($"[display] PNG {BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16))}x{BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))}, {png.Length} bytes");
                }
            }
        }
        """;

    [RequiresDataFact]
    public void Mnist_mlp_notebook_cells_run_and_show_the_curves()
    {
        var cells = CodeCells(File.ReadAllText(Path.Combine(LayeringTests.RepoRoot(), NotebookPath)));
        using var project = new GeneratedProject("nabla-notebook-");
        string program = Translate(cells, project, Budget);
        project.AddFile("Program.cs", program);
        project.AddFile("NotebookKernel.cs", KernelShim);
        project.WriteProject(executable: true);

        var (code, output) = project.Run();
        Assert.True(code == 0, $"exit code {code}:\n{output}");
        Assert.Contains("train on 1000 images, validate on 500, test on 10000", output);
        var epochs = output.Split('\n').Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, epochs.Count);
        // One inline PNG: the loss and accuracy panels side by side.
        var shown = Regex.Match(output, @"\[display\] PNG (\d+)x(\d+)");
        Assert.True(shown.Success, output);
        Assert.True(int.Parse(shown.Groups[1].Value, CultureInfo.InvariantCulture) > 400, shown.Value);
        // Two epochs on 1000 images: far above chance (10 %) on the whole test set.
        var test = Regex.Match(output, @"test accuracy ([0-9.]+) % on 10000 images");
        Assert.True(test.Success, output);
        Assert.True(double.Parse(test.Groups[1].Value, CultureInfo.InvariantCulture) > 60, test.Value);
    }

    [Fact]
    public void Notebook_cells_translate_the_package_references_and_the_budget()
    {
        var cells = CodeCells(File.ReadAllText(Path.Combine(LayeringTests.RepoRoot(), NotebookPath)));
        Assert.Single(cells, c => c.IsParameters);
        using var project = new GeneratedProject("nabla-notebook-translate-");
        string program = Translate(cells, project, Budget);
        Assert.Contains("int trainImages = 1000;", program);
        Assert.Contains("int epochs = 2;", program);
        Assert.DoesNotContain("#r ", program);
        Assert.DoesNotContain("#i ", program);
        // Usings first, then statements: the program compiles as top-level statements.
        var lines = program.Split('\n');
        int lastUsing = Array.FindLastIndex(lines, l => l.StartsWith("using ", StringComparison.Ordinal));
        int firstStatement = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith('#'));
        Assert.True(lastUsing < firstStatement, program);

        // A notebook that references some other package is refused with the cell named.
        var bad = new List<Cell> { new(2, "#r \"nuget: TorchSharp, 0.1.0\"\n", false) };
        var e = Assert.ThrowsAny<Exception>(() => Translate(bad, project, new Dictionary<string, int>()));
        Assert.Contains("cell 2", e.Message);
    }
}
