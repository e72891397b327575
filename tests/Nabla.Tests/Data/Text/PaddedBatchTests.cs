using Nabla.Data.Text;

namespace Nabla.Tests.Data.Text;

public class PaddedBatchTests
{
    [Fact]
    public void Pad_right_pads_to_the_longest_and_builds_lengths_and_mask()
    {
        var b = PaddedBatch.Pad([[5, 6, 7], [8], []]);
        Assert.Equal([3, 3], b.Tokens.Shape.ToArray());
        Assert.Equal(DType.Int32, b.Tokens.DType);
        Assert.Equal([5, 6, 7, 8, 0, 0, 0, 0, 0], b.Tokens.ToArray<int>());
        Assert.Equal([3, 1, 0], b.Lengths.ToArray<int>());
        Assert.Equal([1f, 1, 1, 1, 0, 0, 0, 0, 0], b.Mask.ToArray<float>());
    }

    [Fact]
    public void Min_and_max_length_widen_or_cut()
    {
        var wide = PaddedBatch.Pad([[4, 4]], padIndex: 9, minLength: 5);
        Assert.Equal([4, 4, 9, 9, 9], wide.Tokens.ToArray<int>());
        var cut = PaddedBatch.Pad([[1, 2, 3, 4], [5]], maxLength: 2);
        Assert.Equal([1, 2, 5, 0], cut.Tokens.ToArray<int>());
        Assert.Equal([2, 1], cut.Lengths.ToArray<int>());
    }

    [Fact]
    public void MaskOf_recovers_the_mask_and_lengths_from_tokens()
    {
        var b = PaddedBatch.Pad([[3, 2], [7, 7, 7], [4]]);
        var (mask, lengths) = PaddedBatch.MaskOf(b.Tokens);
        Assert.Equal(b.Mask.ToArray<float>(), mask.ToArray<float>());
        Assert.Equal([2, 3, 1], lengths);
        Assert.Throws<ArgumentException>(() => PaddedBatch.MaskOf(Tensor.Zeros(2, 3)));
    }
}
