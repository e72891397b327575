using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class MnistAffineTests
{
    private static float[] Ramp(int n) => Enumerable.Range(0, n).Select(i => (float)i).ToArray();

    private static float[] Warp(float[] src, int h, int w, double angle, double scale, double tx, double ty, float fill = -1)
    {
        var dst = new float[h * w];
        MnistAffine.Warp(src, dst, h, w, angle, scale, tx, ty, fill);
        return dst;
    }

    [Fact]
    public void The_identity_map_copies_the_image()
    {
        var src = Ramp(20);
        Assert.Equal(src, Warp(src, 4, 5, 0, 1, 0, 0));
    }

    [Fact]
    public void An_integer_shift_moves_pixels_and_fills_the_uncovered_border()
    {
        var src = Ramp(20);   // 4 rows × 5 columns, value = 5·y + x
        var right = Warp(src, 4, 5, 0, 1, tx: 1, ty: 0);
        var expected = new float[20];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 5; x++) expected[y * 5 + x] = x == 0 ? -1 : src[y * 5 + x - 1];
        Assert.Equal(expected, right);
        var down = Warp(src, 4, 5, 0, 1, tx: 0, ty: 2);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 5; x++) expected[y * 5 + x] = y < 2 ? -1 : src[(y - 2) * 5 + x];
        Assert.Equal(expected, down);
    }

    [Fact]
    public void A_half_turn_reverses_the_image_and_a_quarter_turn_is_counter_clockwise_on_screen()
    {
        var src = Ramp(12);   // 3 × 4
        Assert.Equal(src.Reverse(), Warp(src, 3, 4, Math.PI, 1, 0, 0));
        // 3 × 3, centre (1, 1): dst(x, y) = src(2 − y, x); the top-right pixel (x 2, y 0) lands at the top left.
        var sq = Ramp(9);
        var q = Warp(sq, 3, 3, Math.PI / 2, 1, 0, 0);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++) Assert.Equal(sq[x * 3 + (2 - y)], q[y * 3 + x]);
        Assert.Equal(sq[2], q[0]);
    }

    [Fact]
    public void Scaling_samples_between_pixels_bilinearly_with_the_fill_outside()
    {
        float[] src = [1, 2, 3, 4];   // 2 × 2, centre (0.5, 0.5)
        // ×2: dst(0, 0) reads src(0.25, 0.25) = 0.75·(0.75·1 + 0.25·2) + 0.25·(0.75·3 + 0.25·4) = 1.75; by symmetry the others.
        Assert.Equal([1.75f, 2.25f, 2.75f, 3.25f], Warp(src, 2, 2, 0, 2, 0, 0));
        // ×½: dst(0, 0) reads src(−0.5, −0.5): three of its four taps are outside → 0.75·fill + 0.25·1 = −0.5 with fill −1.
        Assert.Equal([-0.5f, -0.25f, 0f, 0.25f], Warp(src, 2, 2, 0, 0.5, 0, 0));
    }

    [Fact]
    public void The_random_transform_is_reproducible_from_its_generator_and_zero_ranges_change_nothing()
    {
        var image = Ramp(28 * 28).Select(v => v / 784f).ToArray();
        int[] shape = [1, 28, 28];
        var none = image.ToArray();
        MnistAffine.Random(0, 0, 0, fill: -1)(none, shape, new Generator(3));
        Assert.Equal(image, none);
        float[] Draw(ulong seed)
        {
            var a = image.ToArray();
            MnistAffine.Random(15, 2, 0.1, fill: -1)(a, shape, new Generator(seed));
            return a;
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
        Assert.NotEqual(image, Draw(7));
    }

    [Theory]
    [InlineData(200, 2, 0.1)]
    [InlineData(10, -1, 0.1)]
    [InlineData(10, 2, 1.0)]
    public void Ranges_that_make_no_sense_are_refused(double degrees, double translate, double scale)
    {
        var e = Assert.Throws<ArgumentException>(() => MnistAffine.Random(degrees, translate, scale, 0));
        Assert.Contains("MnistAffine: need 0 ≤ degrees ≤ 180, translate ≥ 0 and 0 ≤ scale < 1", e.Message);
    }

    [Fact]
    public void Flattened_features_are_refused_with_their_rank()
    {
        var e = Assert.Throws<ArgumentException>(() => MnistAffine.Random(10, 2, 0.1, 0)(new float[784], [784], new Generator(1)));
        Assert.Contains("got rank 1", e.Message);
    }
}
