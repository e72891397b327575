using Nabla.Data;
using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>MNIST images as one flat float tensor [N, 784] with pixels/255 ∈ [0, 1] (plus labels), for the
/// generative labs, which read whole splits and draw their own minibatches.</summary>
public static class MnistTensors
{
    /// <summary>The first <paramref name="trainCount"/> training and <paramref name="testCount"/> test images
    /// (null = all; the last 10,000 training images are held out as validation and not returned).</summary>
    public static (Tensor TrainX, Tensor TrainY, Tensor TestX, Tensor TestY) Load(LabContext ctx, int? trainCount, int? testCount)
    {
        var splits = Mnist.Load("mnist", new MnistOptions { Root = ctx.DataRoot, ValidationCount = 10_000, Flatten = true });
        var train = trainCount is int n ? splits.Train.Slice(0, Math.Min(n, splits.Train.Count)) : splits.Train;
        var test = testCount is int m ? splits.Test.Slice(0, Math.Min(m, splits.Test.Count)) : splits.Test;
        var (trX, trY) = ToTensors(train);
        var (teX, teY) = ToTensors(test);
        return (trX, trY, teX, teY);
    }

    public static (Tensor X, Tensor Y) ToTensors(IDataset data)
    {
        var loader = new DataLoader(data, Math.Max(1, data.Count), prefetch: 0);
        foreach (var (x, y) in loader) return (x.Contiguous(), y);
        throw new ArgumentException("MnistTensors: empty dataset");
    }

    /// <summary>Int32 row indices of minibatches for one epoch (for IndexSelect): a seeded permutation of 0..n−1
    /// (sorting uniform keys) cut into pieces of <paramref name="batchSize"/> (the last one shorter).</summary>
    public static IEnumerable<Tensor> BatchIndices(int n, int batchSize, Generator gen)
    {
        var perm = Enumerable.Range(0, n).ToArray();
        var u = Tensor.Rand([n], 0, 1, DType.Float64, gen).ToArray<double>();
        Array.Sort(u, perm);
        for (int s = 0; s < n; s += batchSize)
            yield return Tensor.FromArray(perm.AsSpan(s, Math.Min(batchSize, n - s)).ToArray(), Math.Min(batchSize, n - s));
    }

    /// <summary>Rows of x (one CHW image of 1×28×28 each) as float arrays for <see cref="Plots.ImageGrid"/>.</summary>
    public static List<float[]> Images(Tensor x)
    {
        var a = x.Contiguous().ToArray<float>();
        int n = x.Size(0), d = a.Length / Math.Max(1, n);
        return Enumerable.Range(0, n).Select(i => a.AsSpan(i * d, d).ToArray()).ToList();
    }
}
