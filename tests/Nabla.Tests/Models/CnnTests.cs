using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

public class CnnTests
{
    [Fact]
    public void Same_padding_parameter_counts_by_hand()
    {
        // conv1 16·1·5·5 + 16 = 416; conv2 32·16·5·5 + 32 = 12,832; 28 → 14 → 7: linear 32·7·7·10 + 10 = 15,690.
        var m = Cnn.Create(new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true, MaxPooling: true));
        Assert.Equal(416 + 12_832 + 15_690, m.ParameterCount());
        var s = Summary.Of(m, [1, 28, 28]);
        Assert.Equal([-1, 16, 28, 28], s.Rows[0].OutputShape);
        Assert.Equal([-1, 1568], s.Rows.Single(r => r.Type == "Flatten-1").OutputShape);
        TestUtil.AssertShape(m.Forward(Tensor.Zeros(2, 1, 28, 28)), 2, 10);
    }

    [Fact]
    public void Valid_padding_and_other_inputs_follow_the_arithmetic()
    {
        // 28 → 24 → 12 → 8 → 4: linear 32·4·4·10 + 10 = 5,130.
        var m = Cnn.Create(new CnnOptions(ZeroPadding: false));
        Assert.Equal(416 + 12_832 + 5_130, m.ParameterCount());
        // 3×32×32, kernel 3, valid, avg pooling: 32 → 30 → 15 → 13 → 6: linear 32·6·6·10 + 10.
        var c = Cnn.Create(new CnnOptions(InChannels: 3, Height: 32, Width: 32, ConvKernelSize: 3, ZeroPadding: false, MaxPooling: false));
        Assert.Equal(16 * 3 * 9 + 16 + 32 * 16 * 9 + 32 + 32 * 36 * 10 + 10, c.ParameterCount());
        Assert.Contains("AvgPool2d", c.ToString());
        Assert.Throws<ArgumentException>(() => Cnn.Create(new CnnOptions(Height: 6, Width: 6, ZeroPadding: false)));
    }

    [Fact]
    public void Conv_layer_module_matches_the_op_and_gradchecks_through_a_tiny_cnn()
    {
        var conv = new Conv2d(2, 3, 3, padding: 1, dtype: DType.Float64, generator: new Generator(1));
        Assert.Equal("Conv2d(2, 3, kernel_size=3, stride=1, padding=1)", conv.ToString());
        var x = TestUtil.RandD(2, 2, 2, 5, 5);
        TestUtil.AssertGrad(t => new MaxPool2d(2).Forward(t[0].Conv2d(t[1], t[2], padding: 1).Relu()), x, conv.Weight, conv.Bias!);
    }
}
