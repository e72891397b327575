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
