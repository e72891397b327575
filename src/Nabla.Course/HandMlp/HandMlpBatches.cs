
namespace Nabla.Course;

/// <summary>
/// The mini-batch order of the homework MLPs' training loops, public so that another network (an autograd twin) can
/// be trained on exactly the same batches: epoch e shuffles 0..n−1 with a generator seeded seed + e and cuts the
/// permutation into batches of <c>batchSize</c> rows (the last one shorter).
/// </summary>
public static class HandMlpBatches
{
    public static IEnumerable<int[]> Epoch(int n, int batchSize, ulong seed, int epoch)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), $"HandMlpBatches: need at least one example, got {n}");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"HandMlpBatches: batch size must be positive, got {batchSize}");
        var perm = new Generator(seed + (ulong)epoch).Permutation(n);
        for (int s = 0; s < n; s += batchSize) yield return perm.AsSpan(s, Math.Min(batchSize, n - s)).ToArray();
    }
}
