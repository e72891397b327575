using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

public class ResNetTests
{
    [Fact]
    public void ResNet9_parameter_count_by_hand()
    {
        // w = 64, convs without bias (Cin·Cout·9) each followed by BN (2·Cout):
        // prep 3→64 1,728 + 128; layer1 64→128 73,728 + 256; block(128) 2·(147,456 + 256);
        // layer2 128→256 294,912 + 512; layer3 256→512 1,179,648 + 1,024; block(512) 2·(2,359,296 + 1,024);
        // Linear(512, 10) 5,130. Total 6,573,130.
        var m = ResNet9.Create(generator: new Generator(2));
        Assert.Equal(1_856 + 73_984 + 2 * 147_712 + 295_424 + 1_180_672 + 2 * 2_360_320 + 5_130, m.ParameterCount());
        Assert.Equal(6_573_130, m.ParameterCount());
    }

    [Fact]
    public void ResNet9_forward_shapes_through_the_stages()
    {
        var m = ResNet9.Create(new ResNet9Options(Width: 4), new Generator(3));
        var s = Summary.Of(m, [3, 32, 32]);
        Assert.Equal([-1, 4, 32, 32], s.Rows.First(r => r.Type == "ReLU-1").OutputShape);
        Assert.Equal([-1, 8, 16, 16], s.Rows.Single(r => r.Type == "MaxPool2d-1").OutputShape);
        Assert.Equal([-1, 32, 4, 4], s.Rows.Single(r => r.Type == "MaxPool2d-3").OutputShape);
        Assert.Equal([-1, 32, 1, 1], s.Rows.Single(r => r.Type == "MaxPool2d-4").OutputShape);
        TestUtil.AssertShape(m.Forward(Tensor.Randn(2, 3, 32, 32)), 2, 10);
    }

    [Fact]
    public void Basic_block_is_relu_of_residual_plus_shortcut()
    {
        // Identity shortcut: y = ReLU(f(x) + x) with f computed here from the block's own layers.
        var b = new BasicBlock(3, 3, generator: new Generator(4));
        b.Eval();
        var x = Tensor.Randn(2, 3, 5, 5);
        var f = b.Bn2.Forward(b.Conv2.Forward(b.Bn1.Forward(b.Conv1.Forward(x)).Relu()));
        TestUtil.AssertClose((f + x).Relu().ToDoubleArray(), b.Forward(x), 1e-6);
        Assert.Null(b.Downsample);
        // Projection shortcut: stride 2 halves 5 → 3, params 3·6·9 + 6·6·9 + 3·6 (1×1) + 3·(2·6) (three BNs).
        var p = new BasicBlock(3, 6, stride: 2);
        Assert.NotNull(p.Downsample);
        Assert.Equal(162 + 324 + 18 + 36, p.ParameterCount());
        TestUtil.AssertShape(p.Forward(x), 2, 6, 3, 3);
    }
}
