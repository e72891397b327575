using Nabla.Data;

namespace Nabla.Tests.Data;

public class ImageDatasetTests
{
    private static LabeledImages Three() => new([0, 51, 255, 102, 1, 2, 3, 4, 5, 6, 7, 8], [4, 5, 6], 2, 2);

    [Fact]
    public void Get_ScalesToUnitInterval_AndShapesCHW()
    {
        var ds = new ImageDataset(Three());
        Assert.Equal([1, 2, 2], ds.FeatureShape.ToArray());
        var f = new float[4];
        Assert.Equal(4, ds.Get(0, f));
        Assert.Equal(new[] { 0f, 0.2f, 1f, 0.4f }, f);   // 51/255 = 0.2, 102/255 = 0.4
    }

    [Fact]
    public void Normalize_AppliesMeanAndStd_AndFlattenChangesShape()
    {
        var ds = new ImageDataset(Three(), flatten: true, mean: 0.5f, std: 0.25f);
        Assert.Equal([4], ds.FeatureShape.ToArray());
        var f = new float[4];
        ds.Get(0, f);
        // (p/255 − 0.5) / 0.25 for p = 0, 51, 255, 102
        TestUtil.AssertClose([-2, -1.2, 2, -0.4], Tensor.FromArray(f));
    }

    [Fact]
    public void Slice_SharesPixels_AndOffsetsIndices()
    {
        var ds = new ImageDataset(Three()).Slice(1, 2);
        Assert.Equal(2, ds.Count);
        var f = new float[4];
        Assert.Equal(6, ds.Get(1, f));
        Assert.Equal(5f / 255, f[0]);
        Assert.Equal(5, ds.Label(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Get(2, f));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Slice(1, 2));
    }

    [Fact]
    public void InvalidStd_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDataset(Three(), std: 0));
}

public class ImageDatasetChannelTests
{
    [Fact]
    public void Per_channel_mean_and_std_apply_to_their_planes()
    {
        // one 1×2 image of 3 channels: R {0, 255}, G {51, 102}, B {255, 255}
        var images = new Nabla.Data.LabeledImages([0, 255, 51, 102, 255, 255], [4], 1, 2, 3);
        var ds = new Nabla.Data.ImageDataset(images, [0.5f, 0.2f, 1f], [0.5f, 0.1f, 2f]);
        var f = new float[6];
        Assert.Equal(4, ds.Get(0, f));
        Assert.Equal([-1f, 1f, 0f, 2f, 0f, 0f], f.Select(v => MathF.Round(v, 5)).ToArray());
        Assert.Equal([0.5f, 0.2f, 1f], ds.Slice(0, 1).ChannelMean);
        Assert.Throws<ArgumentException>(() => new Nabla.Data.ImageDataset(images, [0f, 0f], [1f, 1f]));
    }
}
