using System.Text.RegularExpressions;

namespace Nabla.Tests.Architecture;

/// <summary>
/// The course is kept apart from the library (ARCHITECTURE.md, "Projects"): src/Nabla references neither course
/// project, holds none of the classes that only labs use, and no lab is steered by environment variables (every knob
/// is a typed setting, <c>--set key=value</c>).
/// </summary>
public class CourseSeparationTests
{
    private static IEnumerable<(string Rel, string Text)> Sources(string project)
    {
        var root = Path.Combine(LayeringTests.RepoRoot(), "src", project);
        foreach (var f in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, f).Replace('\\', '/');
            if (rel.StartsWith("bin/") || rel.StartsWith("obj/")) continue;
            yield return (rel, File.ReadAllText(f));
        }
    }

    [Fact]
    public void The_library_does_not_reference_the_course_or_the_labs()
    {
        var csproj = File.ReadAllText(Path.Combine(LayeringTests.RepoRoot(), "src", "Nabla", "Nabla.csproj"));
        Assert.DoesNotContain("Nabla.Course", csproj);
        Assert.DoesNotContain("Nabla.Labs", csproj);
        var offenders = Sources("Nabla").Where(s => Regex.IsMatch(s.Text, @"\bNabla\.(Course|Labs)\b")).Select(s => s.Rel).ToList();
        Assert.True(offenders.Count == 0, "src/Nabla names the course projects in: " + string.Join(", ", offenders));
    }

    [Theory]
    [InlineData("ClassicMlp")]
    [InlineData("GanTraining")]
    [InlineData("PretrainedEmbedding")]
    [InlineData("DogsVsCatsCnn")]
    public void Lab_only_classes_live_outside_the_library(string type)
    {
        var decl = new Regex($@"\b(class|record|struct)\s+{type}\b");
        var found = Sources("Nabla").Where(s => decl.IsMatch(s.Text)).Select(s => s.Rel).ToList();
        Assert.True(found.Count == 0, $"{type} is declared in src/Nabla: {string.Join(", ", found)}");
    }

    [Theory]
    [InlineData("Nabla.Labs")]
    [InlineData("Nabla.Course")]
    public void No_lab_or_course_code_reads_an_environment_variable(string project)
    {
        var found = Sources(project).Where(s => s.Text.Contains("GetEnvironmentVariable")).Select(s => s.Rel).ToList();
        Assert.True(found.Count == 0, $"{project} reads environment variables in: {string.Join(", ", found)} (make it a lab setting)");
    }

    [Fact]
    public void Every_lab_is_written_on_the_harness()
    {
        var notPorted = Nabla.Labs.LabRegistry.All
            .Where(l => !IsHarnessLab(l.GetType())).Select(l => l.Name).ToList();
        Assert.True(notPorted.Count == 0, "labs not written on Lab<TSettings, TResult>: " + string.Join(", ", notPorted));
    }

    private static bool IsHarnessLab(Type? t)
    {
        for (; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Nabla.Labs.Lab<,>)) return true;
        return false;
    }
}
