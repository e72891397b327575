using Nabla.Optim;

namespace Nabla.Tests.Optim;

public class LookaheadTests
{
    [Fact]
    public void Update_moves_the_slow_copy_toward_the_fast_weights_and_copies_it_back_by_hand()
    {
        var a = Tensor.FromArray(new float[] { 1, 2 }, 2);
        var b = Tensor.FromArray(new double[] { 10 }, 1);
        var la = new Lookahead([a, b]);
        // The fast weights move: a = (3, 6), b = 20; φ starts at (1, 2) and 10.
        a.CopyFrom_(Tensor.FromArray(new float[] { 3, 6 }, 2));
        b.CopyFrom_(Tensor.FromArray(new double[] { 20 }, 1));
        la.Update(0.75);
        // φ = 0.75·φ + 0.25·θ: a: 0.75·1 + 0.25·3 = 1.5, 0.75·2 + 0.25·6 = 3; b: 7.5 + 5 = 12.5; θ ← φ.
        Assert.Equal([1.5f, 3f], a.ToArray<float>());
        Assert.Equal([12.5], b.ToArray<double>());
        Assert.Equal([1.5f, 3f], la.Slow[0].ToArray<float>());
        // Second step from θ = (5.5, 3): φ = 0.5·(1.5, 3) + 0.5·(5.5, 3) = (3.5, 3).
        a.CopyFrom_(Tensor.FromArray(new float[] { 5.5f, 3 }, 2));
        la.Update(0.5);
        Assert.Equal([3.5f, 3f], a.ToArray<float>());
        // ρ = 1 only restores the average; ρ = 0 adopts the fast weights.
        a.CopyFrom_(Tensor.FromArray(new float[] { 100, 100 }, 2));
        la.Update(1);
        Assert.Equal([3.5f, 3f], a.ToArray<float>());
        a.CopyFrom_(Tensor.FromArray(new float[] { 8, 9 }, 2));
        la.Update(0);
        Assert.Equal([8f, 9f], la.Slow[0].ToArray<float>());
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new Lookahead([]));
        Assert.Throws<ArgumentException>(() => new Lookahead([Tensor.FromArray(new[] { 1 }, 1)]));
        var la = new Lookahead([Tensor.Ones([2])]);
        Assert.Throws<ArgumentOutOfRangeException>(() => la.Update(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => la.Update(double.NaN));
    }
}
