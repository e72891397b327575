using System.Reflection;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Autograd;

/// <summary>In-place writes into a tensor a node saved for its backward: refused at Backward (PyTorch's version
/// counter), never a silently wrong gradient; writes into tensors no backward reads stay allowed.</summary>
public class VersionCounterTests
{
    [Fact]
    public void Every_in_place_write_counts_once_and_views_share_the_counter()
    {
        var x = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Equal(0, x.Version);
        x.Fill_(1);
        Assert.Equal(1, x.Version);
        x.CopyFrom_(Tensor.Ones([2, 3], DType.Float64));
        x.SetAt(5, 0, 0);
        Assert.Equal(3, x.Version);
        var row = x[1];          // a view
        var detached = x.Detach();
        row.Fill_(2);            // a write through the view is a write into x
        x[0, 1] = 7.0;           // index assignment
        Assert.Equal(5, x.Version);
        Assert.Equal(5, row.Version);
        Assert.Equal(5, detached.Version);
        Assert.Equal(0, x.Clone().Version);   // a copy has storage of its own
        // an op filling the buffer it has just made does not count (nothing can have saved it)
        Assert.Equal(0, Tensor.Full([2, 2], 3.0).Version);
        Assert.Equal(0, Tensor.Cat([x, x]).Version);
    }

    [Fact]
    public void Accumulating_into_a_grad_that_a_graph_saved_makes_that_backward_refuse()
    {
        // z = Σ w·x.Grad saves x.Grad for ∂z/∂w; a second backward through x then adds into x.Grad in place.
        var x = Tensor.FromArray([1.0, 2.0]).RequiresGrad_();
        (x * x).Sum().Backward();                    // x.Grad = 2x = [2, 4]
        var w = Tensor.FromArray([3.0, 5.0]).RequiresGrad_();
        var z = (w * x.Grad!).Sum();
        int before = x.Grad!.Version;
        (x * 3.0).Sum().Backward();                  // x.Grad += 3 → [5, 7], in place
        Assert.Equal(before + 1, x.Grad.Version);
        Assert.Equal([5.0, 7.0], x.Grad.ToDoubleArray());
        var e = Assert.Throws<AutogradException>(() => z.Backward());
        Assert.Contains("MulBackward", e.Message);
        Assert.Null(w.Grad);                         // not [5, 7]: the gradient of other values
    }

    [Fact]
    public void Writing_a_saved_output_in_place_makes_backward_refuse()
    {
        var x = Tensor.FromArray([0.5, -1.0, 2.0]).RequiresGrad_();
        var y = x.Sigmoid();                         // its backward reads y: σ' = y(1 − y)
        using (GradMode.NoGrad()) y.Fill_(0.25);
        var e = Assert.Throws<AutogradException>(() => y.Sum().Backward());
        Assert.Contains("SigmoidBackward", e.Message);
        Assert.Contains("[3]", e.Message);
        Assert.Contains("version 0 then, 1 now", e.Message);
        Assert.Null(x.Grad);                         // nothing was accumulated
    }

    [Fact]
    public void Index_assignment_into_a_saved_output_is_caught_too()
    {
        // PyTorch: y = x.exp(); y[0] = 5; y.sum().backward() → "modified by an inplace operation".
        var x = Tensor.FromArray([0.0, 1.0]).RequiresGrad_();
        var y = x.Exp();
        y[0] = 5.0;
        Assert.Throws<AutogradException>(() => y.Sum().Backward());
    }

    [Fact]
    public void Optimizer_step_between_forward_and_backward_is_refused()
    {
        var g = new Generator(3);
        var net = new Sequential(new Linear(4, 3, generator: g), new ReLU(), new Linear(3, 2, generator: g));
        var opt = new Sgd(net.Parameters(), new SgdOptions(LearningRate: 0.1));
        var x = Tensor.Randn([5, 4], generator: g);
        net.Invoke(x).Sum().Backward();              // every parameter has a gradient now
        var loss = net.Invoke(x).Sum();              // the second Linear saved its weight for the first one's gradient
        opt.Step();                                  // … and the step writes into that weight
        var e = Assert.Throws<AutogradException>(() => loss.Backward());
        Assert.Contains("LinearBackward", e.Message);
        Assert.Contains("optimizer step", e.Message);
    }

    [Fact]
    public void Writing_a_tensor_no_backward_reads_is_allowed_and_the_gradient_is_right()
    {
        // y = x·c: ∂y/∂x = c does not read x, so x may change (PyTorch allows it as well); ∂/∂x of Σ x·c = c.
        var x = Tensor.FromArray([1.0, 2.0, 3.0]).RequiresGrad_();
        var c = Tensor.FromArray([4.0, 5.0, 6.0]);
        var y = (x * c).Sum();
        using (GradMode.NoGrad()) x.Fill_(-1);
        y.Backward();
        Assert.Equal([4.0, 5.0, 6.0], x.Grad!.ToArray<double>());

        // A Linear with a frozen weight: the input gradient reads only the weight, so its input may change.
        var w = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var input = Tensor.FromArray(new double[,] { { 1, 1 } }).RequiresGrad_();
        var z = input.Linear(w).Sum();
        using (GradMode.NoGrad()) input.Fill_(9);
        z.Backward();
        Assert.Equal([4.0, 6.0], input.Grad!.ToArray<double>());   // column sums of W, by hand
    }

    [Fact]
    public void Writing_a_saved_constant_is_caught()
    {
        // ∂(x·c)/∂x reads c: writing c before Backward would give the gradient of other values.
        var x = Tensor.FromArray([1.0, 2.0]).RequiresGrad_();
        var c = Tensor.FromArray([3.0, 4.0]);
        var y = (x * c).Sum();
        c.SetAt(0, 1);
        Assert.Throws<AutogradException>(() => y.Backward());
    }

    [Fact]
    public void A_recycled_pool_array_starts_again_at_version_zero()
    {
        var a = StoragePool.Rent<float>(1 << 20);
        var t = new Tensor(a, [1 << 20]);
        t.Fill_(1);
        Assert.Equal(1, t.Version);
        StoragePool.Return(a, "test");
        float[]? again = null;
        for (int i = 0; i < 4 && !ReferenceEquals(again, a); i++) again = StoragePool.Rent<float>(1 << 20);
        Assert.Same(a, again);
        Assert.Equal(0, new Tensor(again!, [1 << 20]).Version);
        StoragePool.Return(again!, "test");
    }

    /// <summary>A node that keeps a tensor must say which ones its backward reads (<c>Saved</c>), or its inputs could
    /// be written in place unnoticed. EmbeddingAccumulateOp keeps the weight only for its shape and Grad buffer.</summary>
    [Fact]
    public void Every_node_that_keeps_a_tensor_declares_what_it_saved()
    {
        string[] exempt = ["EmbeddingAccumulateOp"];
        var nodes = typeof(Node).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Node)) && !t.IsAbstract);
        var missing = new List<string>();
        int checkedCount = 0;
        foreach (var type in nodes)
        {
            bool keepsTensor = type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Any(f => f.FieldType == typeof(Tensor) || f.FieldType == typeof(Tensor[]));
            if (!keepsTensor) continue;
            checkedCount++;
            var saved = type.GetProperty("Saved", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            if (saved is null && !exempt.Contains(type.Name.Split('`')[0])) missing.Add(type.Name);
        }
        Assert.True(checkedCount >= 40, $"only {checkedCount} node types keep a tensor: the reflection found too few");
        Assert.Empty(missing);
    }
}
