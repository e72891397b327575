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
        var (y, rented) = InvokeNoGradCapturing(model, x);
        // Three 300×256 activations in two buffers: the third layer's output reuses the first one's, given back once
        // the second layer had read it.
        Assert.True(rented.Count == 2, $"expected the three 300×256 activations to share two pooled arrays, saw {rented.Count}");
        foreach (var a in rented) Assert.False(StoragePool.IsRented(a), "an activation between layers was not given back");
        Assert.Equal(10, y.Size(1));
        _ = y.ToArray<float>();   // the output (not pooled: 12 KB) is readable
    }

    [Fact]
    public void A_flattened_view_of_the_callers_input_is_not_rectified_in_place()
    {
        var g = new Generator(11);
        var net = new Sequential(new Flatten(), new ReLU(), new Flatten(), new Linear(6, 3, generator: g));
        var x = Tensor.Randn([4, 3, 2], generator: g);
        var before = x.ToArray<float>();
        Assert.Contains(before, v => v < 0);
        var want = net.Invoke(x).ToArray<float>();
        Tensor y;
        using (GradMode.NoGrad()) y = net.Invoke(x);
        Assert.Equal(want, y.ToArray<float>());
        Assert.Equal(before, x.ToArray<float>());   // Flatten's output is a view of x: the ReLU must not write through it
    }

    [Fact]
    public void A_pooled_input_read_through_a_flatten_stays_the_callers()
    {
        // an input whose storage came from the pool (a Linear's output in the caller's own no-grad block), read
        // through a Flatten by the next layer: it stays the caller's, rented and readable
        var g = new Generator(12);
        var head = new Sequential(new Flatten(), new Linear(256, 10, generator: g));
        var pre = new Linear(64, 256, generator: g);
        using (GradMode.NoGrad())
        {
            var h = pre.Invoke(Tensor.Randn([300, 64], generator: g)).Reshape(300, 16, 16);
            Assert.True(StoragePool.IsRented(h.StorageKey), "the test needs a pooled input");
            var hBefore = h.ToArray<float>();
            _ = head.Invoke(h);
            Assert.True(StoragePool.IsRented(h.StorageKey), "the caller's input was given back to the pool");
            Assert.Equal(hBefore, h.ToArray<float>());
        }
    }

    [Fact]
    public void With_gradients_a_frozen_prefix_activates_in_place_and_the_gradients_are_those_of_the_layers_apart()
    {
        var g = new Generator(13);
        var frozen = new Conv2d(2, 8, 3, padding: 1, generator: g);   // 128 × 8 × 10 × 10 floats: pooled (400 KiB)
        frozen.Weight.RequiresGrad_(false);
        frozen.Bias!.RequiresGrad_(false);
        var conv = new Conv2d(8, 4, 3, padding: 1, generator: g);
        var head = new Linear(400, 3, generator: g);
        var net = new Sequential(frozen, new GELU(), conv, new ReLU(), new Flatten(), head);
        var x = Tensor.Randn([128, 2, 10, 10], generator: g);
        var before = x.ToArray<float>();

        // the layers one by one, nothing in place
        var want = head.Forward(conv.Forward(frozen.Forward(x).Gelu()).Relu().Flatten(1, -1));
        want.Sum().Backward();
        var wantOut = want.ToArray<float>();
        var wantGrads = new[] { conv.Weight, conv.Bias!, head.Weight, head.Bias! }.Select(p => p.Grad!.ToArray<float>()).ToArray();
        foreach (var p in net.Parameters()) p.Grad = null;

        Tensor y;
        HashSet<Array> rented;
        using (var capture = StoragePool.BeginCapture())
        {
            y = net.Invoke(x);
            rented = capture.Arrays;
        }
        Assert.Equal(wantOut, y.ToArray<float>());
        y.Sum().Backward();
        var grads = new[] { conv.Weight, conv.Bias!, head.Weight, head.Bias! }.Select(p => p.Grad!.ToArray<float>()).ToArray();
        for (int i = 0; i < grads.Length; i++) Assert.Equal(wantGrads[i], grads[i]);
        Assert.Equal(before, x.ToArray<float>());
        // the frozen conv's output was activated where it lay: one pooled array for the two of them, one for conv's
        Assert.True(rented.Count(a => a.Length == 128 * 8 * 10 * 10) == 1, $"expected the GELU in place on the frozen conv's output, saw {rented.Count(a => a.Length == 128 * 8 * 10 * 10)} arrays of its size");
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
        var (input, output) = WhatAHookOnLayerSees(model, 1, x);
        Assert.Equal(linear, input);   // the Linear's output, negative entries included
        Assert.Equal(linear.Select(v => Math.Max(v, 0f)).ToArray(), output);
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

    // Conv → BN → ReLU blocks (8 × 16 × 32 × 32 floats = 512 KiB: pooled) with running statistics and affine
    // parameters far from their defaults, so the in-place normalisation has something to get wrong.
    private static Sequential Cnn(Generator g)
    {
        var model = new Sequential(
            new Conv2d(3, 16, 3, padding: 1, generator: g), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, padding: 1, bias: false, generator: g), new BatchNorm2d(32, affine: false), new ReLU(),
            new AvgPool2d(2), new Flatten(), new Linear(32 * 8 * 8, 64, generator: g), new BatchNorm1d(64), new ReLU(),
            new Linear(64, 10, generator: g));
        using (GradMode.NoGrad())
            foreach (var bn in model.Layers.OfType<BatchNormBase>())
            {
                int c = bn.NumFeatures;
                bn.RunningMean.CopyFrom_(Tensor.Randn([c], generator: g) * 0.3);
                bn.RunningVar.CopyFrom_(Tensor.Rand([c], generator: g) + 0.5);
                bn.Weight?.CopyFrom_(Tensor.Randn([c], generator: g));
                bn.Bias?.CopyFrom_(Tensor.Randn([c], generator: g));
            }
        return model;
    }

    /// <summary><see cref="Cnn"/> in eval mode and a batch of 8 CIFAR-size images for it.</summary>
    private static (Sequential Model, Tensor X) EvalCnn(ulong seed)
    {
        var g = new Generator(seed);
        var model = Cnn(g);
        model.Eval();
        return (model, Tensor.Randn([8, 3, 32, 32], generator: g));
    }

    [Fact]
    public void Conv_batchnorm_relu_blocks_in_eval_give_the_recorded_values_bit_for_bit()
    {
        var (model, x) = EvalCnn(8);
        var before = x.ToArray<float>();
        var want = model.Invoke(x).ToArray<float>();   // grad enabled: BatchNorm and ReLU each write a new tensor
        Tensor y1, y2;
        using (GradMode.NoGrad())
        {
            y1 = model.Invoke(x);
            y2 = model.Invoke(x);
        }
        Assert.Equal(want, y1.ToArray<float>());
        Assert.Equal(want, y2.ToArray<float>());
        Assert.Equal(before, x.ToArray<float>());
        // the first BatchNorm changes its input (its statistics and affine map are far from the identity)
        var conv = model[0].Invoke(x);
        var normalised = model[1].Invoke(conv);
        Assert.NotEqual(conv.ToArray<float>(), normalised.ToArray<float>());
    }

    [Fact]
    public void Conv_blocks_give_every_activation_back_to_the_pool()
    {
        var (model, x) = EvalCnn(9);
        var (_, rented) = InvokeNoGradCapturing(model, x);
        // Pooled (≥ 256 KiB) are the two conv outputs only: 8×16×32×32 and 8×32×16×16 floats. BatchNorm and ReLU
        // write over them; done apart they would rent two more of each size.
        Assert.True(rented.Count == 2, $"expected the two conv outputs as the only pooled arrays, saw {rented.Count}: {string.Join(", ", rented.Select(a => a.Length))}");
        foreach (var a in rented) Assert.False(StoragePool.IsRented(a), $"an activation of {a.Length} elements was not given back");
    }

    [Fact]
    public void Batchnorm_in_training_mode_is_not_done_in_place_and_updates_its_statistics_as_recorded()
    {
        var g = new Generator(10);
        var a = Cnn(g);
        var b = Cnn(new Generator(10));   // the same weights and statistics
        a.Train(); b.Train();
        var x = Tensor.Randn([8, 3, 32, 32], generator: g);
        var want = a.Invoke(x).ToArray<float>();
        Tensor y;
        using (GradMode.NoGrad()) y = b.Invoke(x);
        Assert.Equal(want, y.ToArray<float>());
        var sa = a.Layers.OfType<BatchNormBase>().ToArray();
        var sb = b.Layers.OfType<BatchNormBase>().ToArray();
        for (int i = 0; i < sa.Length; i++)
        {
            Assert.Equal(sa[i].RunningMean.ToArray<float>(), sb[i].RunningMean.ToArray<float>());
            Assert.Equal(sa[i].RunningVar.ToArray<float>(), sb[i].RunningVar.ToArray<float>());
        }
    }

    [Fact]
    public void A_hooked_batchnorm_is_not_done_in_place_and_its_hook_sees_the_conv_output_intact()
    {
        var (model, x) = EvalCnn(11);
        var conv = model[0].Invoke(x).ToArray<float>();
        var norm = model[1].Invoke(model[0].Invoke(x)).ToArray<float>();
        var (input, output) = WhatAHookOnLayerSees(model, 1, x);
        Assert.Equal(conv, input);
        Assert.Equal(norm, output);   // not rectified by the ReLU after it
        Assert.Contains(norm, v => v < 0);
    }

    [Fact]
    public void Other_activations_work_in_place_with_the_recorded_values()
    {
        var g = new Generator(12);
        var model = new Sequential(
            new Linear(64, 256, generator: g), new GELU(), new Tanh(), new GELU(GeluApproximation.Tanh), new LeakyReLU(0.2),
            new ELU(0.7), new Sigmoid(), new Linear(256, 10, generator: g));
        model.Eval();
        var x = Tensor.Randn([300, 64], generator: g);
        var want = model.Invoke(x).ToArray<float>();
        var (y, rented) = InvokeNoGradCapturing(model, x);
        Assert.Equal(want, y.ToArray<float>());
        // the 300×256 Linear output is the only pooled array: each activation writes over it (done apart, they
        // would alternate between two)
        Assert.True(rented.Count == 1, $"expected the six activations to run over the Linear's output, saw {rented.Count} pooled arrays");
        Assert.False(StoragePool.IsRented(rented.Single()), "the activation was not given back");
    }

    /// <summary>Hooks layer <paramref name="layer"/>, checks that the no-grad forward still gives the recorded output,
    /// and returns the input and output the hook was shown during the no-grad forward (read after it).</summary>
    private static (float[] Input, float[] Output) WhatAHookOnLayerSees(Sequential model, int layer, Tensor x)
    {
        Tensor? input = null, output = null;
        using var hook = model[layer].RegisterForwardHook((_, i, o) => { input = i; output = o; });
        var want = model.Invoke(x).ToArray<float>();
        Tensor y;
        using (GradMode.NoGrad()) y = model.Invoke(x);
        Assert.Equal(want, y.ToArray<float>());
        return (input!.ToArray<float>(), output!.ToArray<float>());
    }

    /// <summary>The model's no-grad forward, with the pooled arrays it rented (given back or not).</summary>
    private static (Tensor Y, HashSet<Array> Rented) InvokeNoGradCapturing(Module model, Tensor x)
    {
        using (GradMode.NoGrad())
        using (var capture = StoragePool.BeginCapture())
            return (model.Invoke(x), capture.Arrays);
    }

    /// <summary>An identity layer that keeps the tensor it was given (as a user's layer may).</summary>
    private sealed class Keeper : Module
    {
        public Tensor? Kept { get; private set; }

        public override Tensor Forward(Tensor input) => Kept = input;
    }
}
