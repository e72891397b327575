using Nabla.Labs;
using Nabla.NN;

namespace Nabla.Tests.Labs;

public class DogsVsCatsCnnTests
{
    [Fact]
    public void Parameter_counts_by_hand_at_64_and_128()
    {
        // conv+BN per stage: 3→32 896+64; 32→64 18,496+128; 64→128 73,856+256; 128→128 147,584+256 = 241,536.
        // 64×64: 64/16 = 4 → flat 2,048: Linear(2048, 256) 524,544; Linear(256, 2) 514.
        const long convs = 896 + 64 + 18_496 + 128 + 73_856 + 256 + 147_584 + 256;
        var m64 = DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: 64));
        Assert.Equal(convs + 524_544 + 514, m64.ParameterCount());
        // 128×128: flat 128·8·8 = 8,192: Linear(8192, 256) 2,097,408.
        var m128 = DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: 128));
        Assert.Equal(convs + 2_097_408 + 514, m128.ParameterCount());
        Assert.Throws<ArgumentException>(() => DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: 100)));
    }

    [Fact]
    public void Without_batch_norm_the_stages_lose_two_parameters_per_channel_and_their_BatchNorm2d_layers()
    {
        // BN holds γ and β per channel: 2·(32 + 64 + 128 + 128) = 704 parameters fewer at any size.
        var with = DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: 64));
        var without = DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: 64, BatchNorm: false));
        Assert.Equal(with.ParameterCount() - 704, without.ParameterCount());
        Assert.Equal(4, with.Layers.Count(l => l is BatchNorm2d));
        Assert.DoesNotContain(without.Layers, l => l is BatchNorm2d);
        TestUtil.AssertShape(without.Forward(Tensor.Randn(2, 3, 64, 64)), 2, 2);
    }

    [Fact]
    public void Five_stages_at_64_leave_2x2_maps_of_256_channels()
    {
        // Extra stage 128→256: 3·3·128·256 + 256 = 295,168 conv + 512 BN; flat 256·2·2 = 1,024 → Linear(1024, 256) 262,400.
        const long convs = 896 + 64 + 18_496 + 128 + 73_856 + 256 + 147_584 + 256 + 295_168 + 512;
        var m = DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: 64, Channels: [32, 64, 128, 128, 256]));
        Assert.Equal(convs + 262_400 + 514, m.ParameterCount());
    }

    [Fact]
    public void Forward_shapes()
    {
        var m = DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: 64, Channels: [4, 8, 8, 8], Hidden: 16));
        var s = Summary.Of(m, [3, 64, 64]);
        Assert.Equal([-1, 8, 4, 4], s.Rows.Single(r => r.Type == "MaxPool2d-4").OutputShape);
        Assert.Equal([-1, 128], s.Rows.Single(r => r.Type == "Flatten-1").OutputShape);
        TestUtil.AssertShape(m.Forward(Tensor.Randn(2, 3, 64, 64)), 2, 2);
        Assert.Equal(2, m.Layers.Count(l => l is Dropout));
    }
}
