using Nabla.NN;
using Q = Nabla.NN.ConvArithmetic.Quantity;

namespace Nabla.Tests.NN;

public class ConvArithmeticTests
{
    /// <summary>(input, kernel, stride, padding, dilation) → conv output, transposed-conv output: sizes printed by
    /// PyTorch 1.13 (F.conv1d / F.conv_transpose1d on zero tensors).</summary>
    public static TheoryData<int, int, int, int, int, int, int> TorchSizes => new()
    {
        { 32, 5, 1, 2, 1, 32, 32 },
        { 32, 3, 2, 1, 1, 16, 63 },
        { 28, 5, 1, 0, 1, 24, 32 },
        { 7, 3, 2, 1, 2, 3, 15 },
        { 224, 7, 2, 3, 1, 112, 447 },
        { 10, 4, 3, 0, 1, 3, 31 },
        { 5, 5, 1, 0, 1, 1, 9 },
        { 17, 3, 4, 2, 3, 4, 67 },
    };

    [Theory, MemberData(nameof(TorchSizes))]
    public void Output_sizes_match_pytorch(int i, int k, int s, int p, int d, int conv, int transposed)
    {
        Assert.Equal(conv, ConvArithmetic.OutputSize(i, k, s, p, d));
        Assert.Equal(transposed, ConvArithmetic.TransposedOutputSize(i, k, s, p, d));
        var solved = ConvArithmetic.Solve(i, k, s, p, d, null);
        Assert.True(solved.IsUnique);
        Assert.Equal(conv, solved.Min);
    }

    [Fact]
    public void Padding_that_keeps_32_at_kernel_5_is_2()
    {
        var sol = ConvArithmetic.Solve(32, 5, 1, null, 1, 32);
        Assert.True(sol.IsUnique);
        Assert.Equal(2, sol.Min);
        Assert.Equal("padding = 2", sol.ToString());
    }

    [Fact]
    public void Even_kernel_same_size_has_no_symmetric_padding_and_says_which_total_would()
    {
        // 32 + T − 4 + 1 = 32 needs a total padding T = 3: odd, so no p with 2p = 3.
        var sol = ConvArithmetic.Solve(32, 4, 1, null, 1, 32);
        Assert.True(sol.IsEmpty);
        Assert.Contains("total padding of 3", sol.Note);
        Assert.StartsWith("no integer padding", sol.ToString());
        Assert.Empty(sol.Values());
    }

    [Fact]
    public void Strided_padding_can_have_several_solutions()
    {
        // ⌊(32 + 2p − 3) / 4⌋ + 1 = 8  ⇔  28 ≤ 29 + 2p ≤ 31  ⇔  p ∈ {0, 1}
        var sol = ConvArithmetic.Solve(32, 3, 4, null, 1, 8);
        Assert.Equal([0, 1], sol.Values());
    }

    [Fact]
    public void Output_too_large_for_any_padding_is_explained()
    {
        var sol = ConvArithmetic.Solve(32, 3, 1, null, 1, 20);
        Assert.True(sol.IsEmpty);
        Assert.Contains("without padding", sol.Note);
    }

    [Fact]
    public void Kernel_stride_input_and_dilation_for_a_wanted_output()
    {
        // 32 → 28 at stride 1, no padding: k = 5
        Assert.Equal([5], ConvArithmetic.Solve(32, null, 1, 0, 1, 28).Values());
        // 32 → 16 with k = 2, p = 0: ⌊30/s⌋... (32 − 2)/s + 1 = 16 ⇔ s = 2
        Assert.Equal([2], ConvArithmetic.Solve(32, 2, null, 0, 1, 16).Values());
        // inputs giving 16 at k3 s2 p1: ⌊(i − 1)/2⌋ + 1 = 16 ⇔ i ∈ {31, 32}
        Assert.Equal([31, 32], ConvArithmetic.Solve(null, 3, 2, 1, 1, 16).Values());
        // dilation taking 32 → 24 with k = 5: 32 − 4d = 24 ⇔ d = 2
        Assert.Equal([2], ConvArithmetic.Solve(32, 5, 1, 0, null, 24).Values());
    }

    [Fact]
    public void Single_output_holds_for_every_large_stride()
    {
        var sol = ConvArithmetic.Solve(10, 3, null, 0, 1, 1);   // span 7: any s ≥ 8
        Assert.Equal(8, sol.Min);
        Assert.Null(sol.Max);
        Assert.Equal([8, 9, 10], sol.Values(3));
        Assert.StartsWith("stride ≥ 8", sol.ToString());
    }

    [Fact]
    public void Kernel_of_one_ignores_the_dilation()
    {
        Assert.Null(ConvArithmetic.Solve(9, 1, 1, 0, null, 9).Max);
        Assert.True(ConvArithmetic.Solve(9, 1, 1, 0, null, 5).IsEmpty);
    }

    /// <summary>The closed forms against brute force over the defining formula, written out here.</summary>
    [Fact]
    public void Solutions_equal_brute_force()
    {
        static int? Out(int i, int k, int s, int p, int d)
        {
            int span = i + 2 * p - d * (k - 1) - 1;
            return span < 0 ? null : span / s + 1;
        }
        var rng = new Random(7);
        for (int trial = 0; trial < 400; trial++)
        {
            int i = rng.Next(1, 40), k = rng.Next(1, 8), s = rng.Next(1, 5), p = rng.Next(0, 4), d = rng.Next(1, 4);
            int o = rng.Next(1, 30);
            var cases = new (Q Q, Func<int, int?> F, int Lo)[]
            {
                (Q.Input, x => Out(x, k, s, p, d), 1), (Q.Kernel, x => Out(i, x, s, p, d), 1),
                (Q.Stride, x => Out(i, k, x, p, d), 1), (Q.Padding, x => Out(i, k, s, x, d), 0),
                (Q.Dilation, x => Out(i, k, s, p, x), 1),
            };
            foreach (var (q, f, lo) in cases)
            {
                var sol = ConvArithmetic.Solve(q == Q.Input ? null : i, q == Q.Kernel ? null : k, q == Q.Stride ? null : s,
                    q == Q.Padding ? null : p, q == Q.Dilation ? null : d, o);
                var brute = Enumerable.Range(lo, 300).Where(x => f(x) == o).ToList();
                var got = sol.Values(300).Where(x => x < lo + 300).ToList();
                Assert.True(brute.SequenceEqual(got), $"{q} for i{i} k{k} s{s} p{p} d{d} → {o}: brute [{string.Join(",", brute)}], solved {sol}");
            }
        }
    }

    [Fact]
    public void Bad_questions_throw()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvArithmetic.Solve(null, 3, 1, null, 1, 10));
        Assert.Contains("exactly one", e.Message);
        Assert.Throws<ArgumentException>(() => ConvArithmetic.Solve(32, 3, 0, null, 1, 10));
        var fit = Assert.Throws<ArgumentException>(() => ConvArithmetic.OutputSize(3, 5));
        Assert.Contains("does not fit", fit.Message);
    }
}
