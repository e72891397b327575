using Nabla.Cli.Commands;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

/// <summary>`nabla data info` on each image dataset layout it accepts (exit code 0; it used to fail on CIFAR-10,
/// whose published tarball is absent when the extracted files or the JPEG copy are used).</summary>
public class DataCommandTests
{
    [RequiresDataFact("cifar10")]
    public void Info_succeeds_on_cifar10_in_any_accepted_layout() =>
        Assert.Equal(0, DataCommand.Create().Parse(["info", "--data", "cifar10"]).Invoke());

    [RequiresDataFact]
    public void Info_succeeds_on_mnist() =>
        Assert.Equal(0, DataCommand.Create().Parse(["info", "--data", "mnist"]).Invoke());

    [Fact]
    public void Info_on_a_missing_root_fails_with_exit_code_1()
    {
        string empty = Directory.CreateTempSubdirectory("nabla-empty-").FullName;
        try
        {
            Assert.Equal(1, DataCommand.Create().Parse(["info", "--data", "cifar10", "--data-root", empty]).Invoke());
        }
        finally { Directory.Delete(empty, true); }
    }
}
