using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Sequential's no-grad forward rectifies in place and recycles the activations between Linear/ReLU layers; these
/// tests pin down that it computes exactly what the recorded forward computes, never touches the caller's tensors or
/// what a hook was shown, and really gives the intermediates back.
/// </summary>
public class SequentialNoGradTests
{
    // 300 × 256 floats = 300 KiB: above the pool's 256 KiB threshold, so the activations are pooled.
    private static Sequential Mlp(Generator g) => new(
        new Linear(64, 256, generator: g), new ReLU(),
        new Linear(256, 256, generator: g), new ReLU(), new Dropout(0.5),
        new Linear(256, 256, generator: g), new ReLU(),
        new Linear(256, 10, generator: g));

    [Fact]
    public void The_no_grad_forward_equals_the_recorded_forward_bit_for_bit_and_leaves_the_input_alone()
    {
        var g = new Generator(3);
        var model = Mlp(g);
        model.Eval();
        var x = Tensor.Randn([300, 64], generator: g);
        var before = x.ToArray<float>();
        var want = model.Invoke(x).ToArray<float>();   // grad enabled: every op recorded, nothing recycled
        Tensor y1, y2;
        using (GradMode.NoGrad())
        {
            y1 = model.Invoke(x);
            y2 = model.Invoke(x);   // reuses the buffers the first call gave back
        }
        Assert.Equal(want, y1.ToArray<float>());   // the first output is still intact after the second call
        Assert.Equal(want, y2.ToArray<float>());
        Assert.Equal(before, x.ToArray<float>());
        Assert.Contains(want, v => v < 0);   // the last layer is not rectified
    }

    [Fact]
    public void The_activations_between_layers_go_back_to_the_pool_and_the_output_does_not()
    {
        var g = new Generator(4);
        var model = Mlp(g);
        model.Eval();
        var x = Tensor.Randn([300, 64], generator: g);
        Tensor y;
        HashSet<Array> rented;
        using (GradMode.NoGrad())
        using (var capture = StoragePool.BeginCapture())
        {
            y = model.Invoke(x);
            rented = capture.Arrays;
        }
        // Three 300×256 activations in two buffers: the third layer's output reuses the first one's, given back once
        // the second layer had read it.
        Assert.True(rented.Count == 2, $"expected the three 300×256 activations to share two pooled arrays, saw {rented.Count}");
        foreach (var a in rented) Assert.False(StoragePool.IsRented(a), "an activation between layers was not given back");
        Assert.Equal(10, y.Size(1));
        _ = y.ToArray<float>();   // the output (not pooled: 12 KB) is readable
    }

    [Fact]
    public void A_tensor_a_forward_hook_was_shown_is_neither_rectified_in_place_nor_recycled()
    {
        var g = new Generator(5);
        var model = Mlp(g);
        model.Eval();
        var x = Tensor.Randn([300, 64], generator: g);
        Tensor? seen = null;
        using var hook = model[0].RegisterForwardHook((_, _, output) => seen = output);
        var want = model[0].Invoke(x).ToArray<float>();   // Linear's output, before the ReLU
        Assert.Contains(want, v => v < 0);
        using (GradMode.NoGrad()) model.Invoke(x);
        Assert.NotNull(seen);
        Assert.Equal(want, seen!.ToArray<float>());
    }

    [Fact]
    public void A_hooked_relu_is_not_fused_into_the_linear_before_it_and_its_hook_sees_both_sides()
    {
        var g = new Generator(7);
        var model = Mlp(g);
        model.Eval();
        var x = Tensor.Randn([300, 64], generator: g);
        var linear = model[0].Invoke(x).ToArray<float>();
        Tensor? input = null, output = null;
        using var hook = model[1].RegisterForwardHook((_, i, o) => { input = i; output = o; });
        var want = model.Invoke(x).ToArray<float>();
        Tensor y;
        using (GradMode.NoGrad()) y = model.Invoke(x);
        Assert.Equal(want, y.ToArray<float>());
        Assert.Equal(linear, input!.ToArray<float>());   // the Linear's output, negative entries included
        Assert.Equal(linear.Select(v => Math.Max(v, 0f)).ToArray(), output!.ToArray<float>());
    }

    [Fact]
    public void A_layer_that_may_keep_its_input_ends_the_recycling()
    {
        var g = new Generator(6);
        var keeper = new Keeper();
        var model = new Sequential(new Linear(64, 256, generator: g), keeper, new Linear(256, 256, generator: g), new ReLU());
        model.Eval();
        var x = Tensor.Randn([300, 64], generator: g);
        var want = model[0].Invoke(x).ToArray<float>();
        using (GradMode.NoGrad()) model.Invoke(x);
        Assert.Equal(want, keeper.Kept!.ToArray<float>());   // still readable, not rectified, not returned
    }

    /// <summary>An identity layer that keeps the tensor it was given (as a user's layer may).</summary>
    private sealed class Keeper : Module
    {
        public Tensor? Kept { get; private set; }

        public override Tensor Forward(Tensor input) => Kept = input;
    }
}
