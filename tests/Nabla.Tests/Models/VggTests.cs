using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

public class VggTests
{
    [Fact]
    public void Vgg11_parameter_count_by_hand_and_output_shape()
    {
        // conv (Cin·Cout·9 + Cout): 3→64 1,792; 64→128 73,856; 128→256 295,168; 256→256 590,080; 256→512 1,180,160;
        // three 512→512 3·2,359,808 = 7,079,424; BN 2·(64+128+256+256+4·512) = 5,504; Linear(512, 10) 5,130.
        // Total 9,231,114 (also what PyTorch's make_vgg11 of the bench reference reports).
        var m = Vgg.Vgg11(generator: new Generator(1));
        Assert.Equal(1_792 + 73_856 + 295_168 + 590_080 + 1_180_160 + 7_079_424 + 5_504 + 5_130, m.ParameterCount());
        Assert.Equal(8 * 3 + 5 + 2, m.Count);                     // 8 conv-BN-ReLU triples, 5 pools, flatten, linear
        var s = Summary.Of(m, [3, 32, 32]);
        Assert.Equal([-1, 512], s.Rows.Single(r => r.Type == "Flatten-1").OutputShape);
        Assert.Equal([-1, 512, 1, 1], s.Rows.Single(r => r.Type == "MaxPool2d-5").OutputShape);
        TestUtil.AssertShape(m.Forward(Tensor.Randn(2, 3, 32, 32)), 2, 10);
    }

    [Fact]
    public void Classifier_head_dropout_and_small_plan()
    {
        // plan 8, M, 16, M on 3×16×16, no BN: convs 3·8·9+8 = 224, 8·16·9+16 = 1,168; flat 16·4·4 = 256;
        // hidden 32: 256·32+32 = 8,224; out 32·5+5 = 165.
        var m = Vgg.Create(new VggOptions(ImageSize: 16, Classes: 5, Plan: ["8", "M", "16", "M"], BatchNorm: false,
            ClassifierHidden: [32], Dropout: 0.5));
        Assert.Equal(224 + 1_168 + 8_224 + 165, m.ParameterCount());
        Assert.Equal(2, m.Layers.Count(l => l is Dropout));
        Assert.DoesNotContain(m.Layers, l => l is BatchNorm2d);
        TestUtil.AssertShape(m.Forward(Tensor.Randn(3, 3, 16, 16)), 3, 5);
        Assert.Throws<ArgumentException>(() => Vgg.Create(new VggOptions(ImageSize: 16)));            // 5 poolings of 16
        Assert.Throws<ArgumentException>(() => Vgg.Create(new VggOptions(Plan: ["8", "X"])));
    }

    [Fact]
    public void Narrow_vgg11_of_the_eecs498_template_parameter_count_by_hand_and_output_shape()
    {
        // conv (Cin·Cout·9 + Cout): 3→8 224; 8→16 1,168; 16→32 4,640; 32→32 9,248; 32→64 18,496; three 64→64 3·36,928;
        // no BatchNorm; flatten 64·1·1; Linear(64, 64) 4,160; Linear(64, 10) 650. Total 149,370.
        var m = Vgg.Vgg11Narrow(generator: new Generator(1));
        Assert.Equal(224 + 1_168 + 4_640 + 9_248 + 18_496 + 3 * 36_928 + 4_160 + 650, m.ParameterCount());
        Assert.Equal(149_370, m.ParameterCount());
        Assert.DoesNotContain(m.Layers, l => l is BatchNorm2d);
        Assert.Equal([8, 16, 32, 32, 64, 64, 64, 64], m.Layers.OfType<Conv2d>().Select(c => c.OutChannels));
        // Poolings after convolutions 1, 2, 4, 6 and 8: the layer after the k-th conv's activation.
        var convsBeforePool = new List<int>();
        int convs = 0;
        foreach (var l in m.Layers)
        {
            if (l is Conv2d) convs++;
            if (l is MaxPool2d) convsBeforePool.Add(convs);
        }
        Assert.Equal([1, 2, 4, 6, 8], convsBeforePool);
        var s = Summary.Of(m, [3, 32, 32]);
        Assert.Equal([-1, 64], s.Rows.Single(r => r.Type == "Flatten-1").OutputShape);
        Assert.Equal(9, m.Layers.Count(l => l is ReLU));              // 8 convolutions + the hidden linear layer
        TestUtil.AssertShape(m.Forward(Tensor.Randn(4, 3, 32, 32)), 4, 10);
    }

    [Fact]
    public void Activation_option_replaces_every_relu()
    {
        var elu = Vgg.Vgg11Narrow(activation: VggActivation.ELU);
        Assert.Equal(9, elu.Layers.Count(l => l is ELU));
        Assert.DoesNotContain(elu.Layers, l => l is ReLU);
        var gelu = Vgg.Create(new VggOptions(ImageSize: 16, Plan: ["8", "M"], Activation: VggActivation.GELU));
        Assert.Single(gelu.Layers.OfType<GELU>());
        Assert.Equal(Vgg.Vgg11Narrow().ParameterCount(), elu.ParameterCount());
        Assert.Throws<ArgumentException>(() => Vgg.Create(new VggOptions(Activation: (VggActivation)7)));
    }
}
