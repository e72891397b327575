using Nabla.Data;

namespace Nabla.Labs;

/// <summary>
/// The data of the <c>solver</c> lab as plain tensors for the Solver: images float32 [N, 1, 28, 28] (standardised
/// with the training part's mean and standard deviation), labels int32 [N].
/// </summary>
public static class SolverLabData
{
    /// <summary>The binary pair of Q2/Q3 (the homework's data.pkl is not public): digit 4 → label 0, digit 9 → label 1.</summary>
    public const int NegativeDigit = 4, PositiveDigit = 9;

    /// <summary>The homework's sizes: 500 training, 250 validation and 250 test examples.</summary>
    public const int BinaryTrain = 500, BinaryVal = 250, BinaryTest = 250;

    /// <summary>Images held out from the end of MNIST's 60,000 training images for validation (1/10).</summary>
    public const int HeldOut = 6000;

    /// <summary>One split as tensors: X [N, 1, 28, 28] float32, Y [N] int32.</summary>
    public sealed record Split(Tensor X, Tensor Y)
    {
        public int Count => Y.Shape[0];
    }

    /// <summary>The three splits of one task, with a description of where they come from.</summary>
    public sealed record Splits(Split Train, Split Val, Split Test, string Description);

    /// <summary>All of MNIST with 6,000 of the training images held out for validation (54k / 6k / 10k), standardised.</summary>
    public static LabMnist Load(LabKit kit) =>
        kit.Mnist(new MnistRequest(60_000 - HeldOut, HeldOut, 10_000) { HeldOut = HeldOut, Scaling = MnistScaling.Standardized });

    /// <summary>The ten-digit task: the first <paramref name="train"/>, <paramref name="val"/> and <paramref name="test"/>
    /// images of each part (null = all).</summary>
    public static Splits Digits(LabMnist m, int? train, int? val, int? test)
    {
        Split Take(ImageDataset d, int? n) => Tensors(d, Enumerable.Range(0, Math.Min(n ?? d.Count, d.Count)).ToArray(), digit => digit);
        var s = new Splits(Take(m.Train, train), Take(m.Validation, val), Take(m.Test, test), "");
        return s with { Description = $"{s.Train.Count:N0} / {s.Val.Count:N0} / {s.Test.Count:N0} train / validation / test images" };
    }

    /// <summary>
    /// 4 vs 9 with the homework's 500 / 250 / 250 sizes: each set is drawn at random without replacement, with a fixed
    /// seed, from the 4s and 9s of its own part (training part, held-out part, test file), so the three are disjoint.
    /// </summary>
    /// <exception cref="ArgumentException">A part holds fewer 4s and 9s than its set needs.</exception>
    public static Splits Binary(ImageDataset train, ImageDataset val, ImageDataset test, ulong seed)
    {
        Split Draw(ImageDataset d, int count, ulong offset, string part)
        {
            var pool = Enumerable.Range(0, d.Count).Where(i => d.Label(i) is NegativeDigit or PositiveDigit).ToArray();
            if (pool.Length < count)
                throw new ArgumentException($"solver lab: {count} images of digits {NegativeDigit}/{PositiveDigit} needed from the {part} part, which has {pool.Length}");
            var order = new Generator(seed * 7919 + offset).Permutation(pool.Length);
            return Tensors(d, order.Take(count).Select(j => pool[j]).ToArray(), digit => digit == PositiveDigit ? 1 : 0);
        }
        var s = new Splits(Draw(train, BinaryTrain, 1, "training"), Draw(val, BinaryVal, 2, "validation"), Draw(test, BinaryTest, 3, "test"), "");
        string Count(Split p) => $"{p.Y.ToArray<int>().Count(v => v == 0)} fours / {p.Y.ToArray<int>().Count(v => v == 1)} nines";
        return s with { Description = $"train {Count(s.Train)}, validation {Count(s.Val)}, test {Count(s.Test)}" };
    }

    /// <summary>Rows <paramref name="indices"/> of <paramref name="d"/> as tensors, labels mapped by <paramref name="label"/>.</summary>
    public static Split Tensors(ImageDataset d, int[] indices, Func<int, int> label)
    {
        int size = 1;
        foreach (int s in d.FeatureShape) size *= s;
        if (size != 28 * 28) throw new ArgumentException($"solver lab: expected 28×28 single-channel images, got {size} values per image");
        var x = new float[indices.Length * size];
        var y = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++) y[i] = label(d.Get(indices[i], x.AsSpan(i * size, size)));
        return new Split(Tensor.Wrap(x, [indices.Length, 1, 28, 28]), Tensor.Wrap(y, [indices.Length]));
    }
}
