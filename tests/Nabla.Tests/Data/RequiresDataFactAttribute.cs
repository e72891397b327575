using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// A [Fact] that is skipped, with the reason shown in the test report, when a real dataset is not under the data
/// root (NABLA_DATA, ~/.nabla/data, or a system folder). xunit 2 has no runtime skip, so the check runs when the
/// attribute is constructed during discovery. With <c>file</c>, that file (relative to the dataset folder) must
/// exist too (e.g. "genuine-partial/test_batch.first1000.bin").
/// </summary>
public sealed class RequiresDataFactAttribute : FactAttribute
{
    public RequiresDataFactAttribute(string dataset = "mnist", string? file = null)
    {
        var spec = DatasetSpec.Find(dataset);
        string? dir = DataRoot.Find(spec);
        if (dir is null)
            Skip = $"{spec.Title} not found (looked in {string.Join(", ", DataRoot.Candidates(spec))}); " +
                   $"set {DataRoot.EnvironmentVariable} to a folder holding {spec.Name}/ to run this test";
        else if (file is not null && !File.Exists(Path.Combine(dir, file)))
            Skip = $"{Path.Combine(dir, file)} not found; this test needs that file of {spec.Title}";
    }

    /// <summary>The dataset's folder (call only from a test that was not skipped).</summary>
    public static string Folder(string dataset) =>
        DataRoot.Find(DatasetSpec.Find(dataset)) ?? throw new InvalidOperationException($"{dataset} not found");
}
