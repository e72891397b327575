using Nabla.Data;

namespace Nabla.Tests.Data;

public class AlternatingFlipTests
{
    [Fact]
    public void Each_image_alternates_between_epochs_and_the_first_epoch_flips_about_half()
    {
        var f = new AlternatingFlip(1000, 7);
        int first = 0;
        for (int i = 0; i < 1000; i++)
        {
            if (f.IsFlipped(i, 0)) first++;
            for (int e = 0; e < 6; e++) Assert.NotEqual(f.IsFlipped(i, e), f.IsFlipped(i, e + 1));
            Assert.Equal(f.IsFlipped(i, 0), f.IsFlipped(i, 4));
        }
        Assert.InRange(first, 430, 570);   // Binomial(1000, ½): ±4.4 standard deviations (fixed seed, so deterministic)
    }

    [Fact]
    public void The_seed_fixes_the_pattern_and_bad_indices_are_refused()
    {
        var a = new AlternatingFlip(64, 3);
        var b = new AlternatingFlip(64, 3);
        var c = new AlternatingFlip(64, 4);
        Assert.All(Enumerable.Range(0, 64), i => Assert.Equal(a.IsFlipped(i, 1), b.IsFlipped(i, 1)));
        Assert.Contains(Enumerable.Range(0, 64), i => a.IsFlipped(i, 0) != c.IsFlipped(i, 0));
        Assert.Equal(64, a.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.IsFlipped(64, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.IsFlipped(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlternatingFlip(-1, 0));
    }
}
