using Nabla.Data;

namespace Nabla.Tests.Data;

public class ImageShiftTests
{
    // The 3×3 image 0..8, row-major.
    private static readonly float[] Image = [0, 1, 2, 3, 4, 5, 6, 7, 8];

    private static float[] Shift(float[] src, int h, int w, int dy, int dx, bool flip, BorderMode border)
    {
        var dst = new float[src.Length];
        ImageShift.ShiftFlip(src, dst, src.Length / (h * w), h, w, dy, dx, flip, border);
        return dst;
    }

    [Fact]
    public void Reflect_shift_by_one_down_right_matches_pytorch_reflect_pad_then_crop_by_hand()
    {
        // F.pad(x, (1, 1, 1, 1), 'reflect')[0:3, 0:3]: out[y, x] = in[r(y − 1), r(x − 1)], r(−1) = 1 → rows 1, 0, 1.
        Assert.Equal([4, 3, 4, 1, 0, 1, 4, 3, 4], Shift(Image, 3, 3, 1, 1, false, BorderMode.Reflect));
        // [2:5, 2:5]: out[y, x] = in[r(y + 1), r(x + 1)], r(3) = 1 → rows 1, 2, 1.
        Assert.Equal([4, 5, 4, 7, 8, 7, 4, 5, 4], Shift(Image, 3, 3, -1, -1, false, BorderMode.Reflect));
    }

    [Fact]
    public void Zero_border_fills_what_comes_from_outside_and_flip_mirrors_the_result()
    {
        Assert.Equal([0, 0, 0, 0, 0, 1, 0, 3, 4], Shift(Image, 3, 3, 1, 1, false, BorderMode.Zeros));
        Assert.Equal([0, 0, 0, 1, 0, 0, 4, 3, 0], Shift(Image, 3, 3, 1, 1, true, BorderMode.Zeros));
        Assert.Equal([2, 1, 0, 5, 4, 3, 8, 7, 6], Shift(Image, 3, 3, 0, 0, true, BorderMode.Reflect));
        Assert.Equal(Image, Shift(Image, 3, 3, 0, 0, false, BorderMode.Zeros));
    }

    [Fact]
    public void Every_channel_moves_the_same_way_and_the_batch_overload_agrees_with_the_span_one()
    {
        var g = new Generator(4);
        var x = Tensor.Randn([3, 2, 5, 6], generator: g);
        var t = ImageShift.ShiftFlip(x, 2, -1, true, BorderMode.Reflect).ToArray<float>();
        var src = x.ToArray<float>();
        for (int n = 0; n < 3; n++)
        {
            var expected = Shift(src[(n * 60)..((n + 1) * 60)], 5, 6, 2, -1, true, BorderMode.Reflect);
            Assert.Equal(expected, t[(n * 60)..((n + 1) * 60)]);
            // Channel 1 of the shifted image is the shift of channel 1 alone.
            Assert.Equal(Shift(src[(n * 60 + 30)..((n + 1) * 60)], 5, 6, 2, -1, true, BorderMode.Reflect), expected[30..]);
        }
    }

    [Fact]
    public void Bad_arguments_get_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => ImageShift.ShiftFlip(new float[8], new float[9], 1, 3, 3, 0, 0, false, BorderMode.Zeros));
        Assert.Throws<ArgumentException>(() => ImageShift.ShiftFlip(new float[9], new float[9], 1, 3, 3, 3, 0, false, BorderMode.Reflect));
        Assert.Throws<ShapeMismatchException>(() => ImageShift.ShiftFlip(Tensor.Ones([3, 4, 4]), 1, 1, false, BorderMode.Zeros));
    }
}
