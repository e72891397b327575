using Nabla.Data;

namespace Nabla.Tests.Data;

public class ImageStatisticsTests
{
    [Fact]
    public void Channel_mean_and_population_std_by_hand()
    {
        // two 1×2 images of 2 channels: channel 0 pixels {0, 255, 255, 255}, channel 1 pixels {51, 51, 102, 102}
        var images = new LabeledImages([0, 255, 51, 51, 255, 255, 102, 102], [0, 1], 1, 2, 2);
        var (mean, std) = ImageStatistics.ChannelMeanStd(images);
        Assert.Equal(0.75, mean[0], 6);
        Assert.Equal(Math.Sqrt(0.75 - 0.75 * 0.75), std[0], 6);   // E[x²] − E[x]² with x ∈ {0, 1, 1, 1}
        Assert.Equal(0.3, mean[1], 6);                            // (0.2 + 0.4) / 2
        Assert.Equal(0.1, std[1], 6);
        var (m1, s1) = ImageStatistics.ChannelMeanStd(images, 1, 1);
        Assert.Equal([1f, 0.4f], m1);
        Assert.Equal(0, s1[0], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageStatistics.ChannelMeanStd(images, 2, 1));
    }
}
