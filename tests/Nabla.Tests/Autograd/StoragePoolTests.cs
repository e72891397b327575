using Nabla.NN;

namespace Nabla.Tests.Autograd;

/// <summary>
/// The storage pool and the engine's recycling: pooled buffers come back dirty, so every op must overwrite what it
/// rents, and the engine must only return storage that nothing can read any more.
/// </summary>
public class StoragePoolTests
{
    // 64Ki floats = 256 KiB: the smallest pooled size. The tests use lengths no other test uses (odd counts), so
    // a parallel test cannot take "their" arrays.
    private const int Big = 65_537;

    [Fact]
    public void A_returned_array_is_handed_out_again_for_the_same_length_only()
    {
        var a = StoragePool.Rent<float>(Big + 2);
        Assert.True(StoragePool.IsRented(a));
        Assert.True(StoragePool.Return(a));
        Assert.False(StoragePool.IsRented(a));
        Assert.False(StoragePool.Return(a));                       // a second return is ignored
        var other = StoragePool.Rent<float>(Big + 4);
        Assert.NotSame(a, other);
        Assert.Same(a, StoragePool.Rent<float>(Big + 2));
    }

    [Fact]
    public void Small_and_foreign_arrays_are_not_pooled()
    {
        var small = StoragePool.Rent<float>(1000);
        Assert.False(StoragePool.IsRented(small));
        Assert.False(StoragePool.Return(small));
        Assert.False(StoragePool.Return(new float[Big + 6]));      // never rented: not taken
    }

    [Fact]
    public void Passing_the_cap_drops_the_old_free_arrays_instead_of_growing()
    {
        long cap = StoragePool.MaxFreeBytes;
        try
        {
            var arrays = Enumerable.Range(0, 4).Select(_ => StoragePool.Rent<float>(Big + 8)).ToArray();
            StoragePool.MaxFreeBytes = 3L * (Big + 8) * sizeof(float) + StoragePool.FreeBytes;
            foreach (var a in arrays) Assert.True(StoragePool.Return(a));
            Assert.True(StoragePool.FreeBytes <= StoragePool.MaxFreeBytes);
            Assert.Same(arrays[3], StoragePool.Rent<float>(Big + 8));   // the newest survives the clear
        }
        finally { StoragePool.MaxFreeBytes = cap; }
    }

    private static Sequential Net(int seed) => new(
        new Conv2d(3, 16, 3, padding: 1, generator: new Generator((ulong)seed)), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 8, 3, padding: 1, generator: new Generator((ulong)seed + 1)), new ReLU(),
        new Flatten(), new Linear(8 * 16 * 16, 5, generator: new Generator((ulong)seed + 2)));

    private static (double Loss, double[][] Grads) Step(Sequential net, Tensor x, Tensor y, bool free)
    {
        foreach (var p in net.Parameters()) p.Grad = null;
        var loss = net.Invoke(x).CrossEntropy(y);
        double l = loss.Item();
        loss.Backward(freeIntermediates: free);
        Assert.Equal(l, loss.Item());                              // the root is never recycled
        return (l, net.Parameters().Select(p => p.Grad!.ToDoubleArray()).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Steps_on_recycled_and_poisoned_buffers_give_the_same_gradients_as_on_fresh_ones(bool freeIntermediates)
    {
        // [6, 3, 32, 32] → activations of 6·16·32·32 = 98,304 floats: pooled.
        var x = Tensor.Randn([6, 3, 32, 32], generator: new Generator(7));
        var y = Tensor.FromArray(new[] { 0, 1, 2, 3, 4, 0 }, 6);
        var fresh = Step(Net(3), x, y, free: false);
        var net = Net(3);
        for (int step = 0; step < 3; step++)
        {
            StoragePool.PoisonFree();                              // whatever an op rents now is NaN until written
            var again = Step(net, x, y, freeIntermediates);
            Assert.Equal(fresh.Loss, again.Loss);
            for (int i = 0; i < fresh.Grads.Length; i++) Assert.Equal(fresh.Grads[i], again.Grads[i]);
        }
        Assert.True(x.ToDoubleArray().All(double.IsFinite));       // the input (no grad) is untouched
    }

    [Fact]
    public void Free_intermediates_returns_activations_but_never_a_leaf_or_storage_shared_with_one()
    {
        var leaf = Tensor.Randn([4, 16, 32, 32], generator: new Generator(11)).RequiresGrad_();
        var before = leaf.ToDoubleArray();
        var view = leaf.Reshape(4, 16 * 32 * 32);                 // a graph tensor on the leaf's storage
        var hidden = view.Relu();                                  // a pooled intermediate
        var loss = (hidden * hidden).Sum();
        Assert.True(StoragePool.IsRented(hidden.StorageKey));
        loss.Backward(freeIntermediates: true);
        Assert.False(StoragePool.IsRented(hidden.StorageKey));      // back in the pool
        Assert.Equal(before, leaf.ToDoubleArray());
        // d/dx Σ relu(x)² = 2·relu(x)
        var expected = before.Select(v => 2 * Math.Max(v, 0)).ToArray();
        var grad = leaf.Grad!.ToDoubleArray();
        for (int i = 0; i < grad.Length; i += 97) Assert.Equal(expected[i], grad[i], 5);
    }

    [Fact]
    public void A_gradient_passed_to_two_inputs_is_recycled_only_after_both_used_it()
    {
        // h + h: Add's backward hands the same gradient tensor to both inputs (the same h): the engine sums them.
        // Then u + v with u, v distinct branches of x: the shared gradient must survive the first branch's backward.
        var x = Tensor.Randn([2, 16, 64, 33], generator: new Generator(5)).RequiresGrad_();
        var u = x.Relu();
        var v = x * 3.0;
        var loss = ((u + v) * (u + v)).Sum();                       // d/dx = 2(u + v)·(1[x>0] + 3)
        loss.Backward(freeIntermediates: true);
        var xs = x.ToDoubleArray();
        var grad = x.Grad!.ToDoubleArray();
        for (int i = 0; i < xs.Length; i += 101)
        {
            double s = Math.Max(xs[i], 0) + 3 * xs[i];
            double want = 2 * s * ((xs[i] > 0 ? 1 : 0) + 3);
            Assert.True(Math.Abs(grad[i] - want) <= 1e-5 * (1 + Math.Abs(want)), $"element {i}: {grad[i]} vs {want}");
        }
    }
}
