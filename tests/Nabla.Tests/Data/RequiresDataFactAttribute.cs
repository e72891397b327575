using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// A [Fact] that is skipped, with the reason shown in the test report, when a real dataset is not under the data
/// root (NABLA_DATA, ~/.nabla/data, or a system folder). xunit 2 has no runtime skip, so the check runs when the
/// attribute is constructed during discovery.
/// </summary>
public sealed class RequiresDataFactAttribute : FactAttribute
{
    public RequiresDataFactAttribute(string dataset = "mnist")
    {
        var spec = DatasetSpec.Find(dataset);
        if (DataRoot.Find(spec) is null)
            Skip = $"{spec.Title} not found (looked in {string.Join(", ", DataRoot.Candidates(spec))}); " +
                   $"set {DataRoot.EnvironmentVariable} to a folder holding {spec.Name}/ to run this test";
    }
}
