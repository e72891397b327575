using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Autograd;

/// <summary>
/// Storage recycling must never let a tensor that someone still holds show another step's numbers: a recycled
/// buffer's old owners are invalidated, so reading them throws <see cref="FreedTensorException"/>.
/// </summary>
public class RecyclingTests
{
    // [16, 64] · [64, 4096] → [16, 4096] = 65,536 floats = 256 KiB: the smallest pooled size.
    private static readonly Tensor W = Tensor.Randn([64, 4096], generator: new Generator(21)).RequiresGrad_();

    private static Tensor Step(ulong seed)
    {
        var x = Tensor.Randn([16, 64], generator: new Generator(seed));
        var hidden = x.MatMul(W).Relu();                          // the intermediate a careless caller keeps
        var loss = (hidden * hidden).Sum();
        loss.Backward(freeIntermediates: true);
        return hidden;
    }

    [Fact]
    public void A_kept_intermediate_is_never_silently_overwritten_by_the_next_step()
    {
        var x = Tensor.Randn([16, 64], generator: new Generator(1));
        var kept = x.MatMul(W).Relu();
        var expected = kept.ToDoubleArray();
        (kept * kept).Sum().Backward(freeIntermediates: true);
        for (int step = 0; step < 3; step++) Step(100 + (ulong)step);   // the next steps rent the same sizes
        double[] now;
        try { now = kept.ToDoubleArray(); }
        catch (FreedTensorException) { return; }                       // a loud error is fine; stale data is not
        Assert.Equal(expected, now);
    }

    [Fact]
    public void Reading_a_freed_intermediate_or_a_view_of_it_throws_naming_the_op_that_produced_it()
    {
        var x = Tensor.Randn([16, 64], generator: new Generator(2));
        var hidden = x.MatMul(W).Relu();
        var view = hidden.Detach().Transpose(0, 1);
        (hidden * hidden).Sum().Backward(freeIntermediates: true);
        var e = Assert.Throws<FreedTensorException>(() => hidden.ToDoubleArray());
        Assert.Contains("Relu", e.Message);
        Assert.Contains("[16, 4096]", e.Message);
        Assert.Contains("freeIntermediates", e.Message);
        Assert.Throws<FreedTensorException>(() => view.At(0, 0));
        Assert.Throws<FreedTensorException>(() => hidden.Sum());       // an op reading it fails too
        Assert.Equal([16, 4096], hidden.Shape.ToArray());               // metadata stays readable
    }

    [Fact]
    public void Without_freeIntermediates_a_kept_intermediate_stays_readable_across_steps()
    {
        var x = Tensor.Randn([16, 64], generator: new Generator(3));
        var kept = x.MatMul(W).Relu();
        var expected = kept.ToDoubleArray();
        (kept * kept).Sum().Backward();
        for (int step = 0; step < 2; step++) Step(200 + (ulong)step);
        Assert.Equal(expected, kept.ToDoubleArray());
    }

    [Fact]
    public void A_returned_array_closes_the_lease_of_every_tensor_over_it_and_a_new_rent_opens_a_new_one()
    {
        var a = StoragePool.Rent<float>(65_537 + 10);
        var old = Tensor.Wrap(a, 65_547);
        Assert.True(old.IsPooled);
        Assert.True(StoragePool.Return(a, "a test buffer"));
        Assert.Contains("a test buffer", Assert.Throws<FreedTensorException>(() => old.ToArray<float>()).Message);
        var again = StoragePool.Rent<float>(65_547);
        Assert.Same(a, again);
        var fresh = Tensor.Wrap(again, 65_547).Fill_(1);
        Assert.Equal(1.0, fresh.At(0));
        Assert.Throws<FreedTensorException>(() => old.At(0));          // the old owner stays invalid
        Assert.Throws<FreedTensorException>(() => old.Detach());        // and cannot make views
    }

    [Fact]
    public void A_gradient_passed_twice_to_one_leaf_is_read_twice_before_it_is_recycled()
    {
        // ((x + x) * y).Sum(): Mul's backward rents g·y; Add's backward hands that one tensor to x twice.
        var x = Tensor.Randn([16, 4096], generator: new Generator(4)).RequiresGrad_();
        var y = Tensor.Randn([16, 4096], generator: new Generator(5));
        ((x + x) * y).Sum().Backward(freeIntermediates: true);
        var want = y.ToDoubleArray().Select(v => 2 * v).ToArray();     // d/dx Σ 2x·y = 2y
        Assert.Equal(want, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void An_intermediate_fed_back_detached_is_not_recycled_before_its_reader_ran()
    {
        // loss = Σ h.Detach()·w2 + Σ h. Reverse topological order runs h's node (and frees h) before the Mul that
        // saved h.Detach(); the Mul's backward then rents an array of h's size for w2's gradient. h's storage must
        // therefore stay out of the pool: it is a no-grad input of a node in this graph.
        var x = Tensor.Randn([16, 64], generator: new Generator(6));
        var w2 = Tensor.Randn([16, 4096], generator: new Generator(7)).RequiresGrad_();
        var h = x.MatMul(W).Relu();
        var expected = h.ToDoubleArray();
        var loss = (h.Detach() * w2).Sum() + h.Sum();
        loss.Backward(freeIntermediates: true);
        Assert.Equal(expected, w2.Grad!.ToDoubleArray());                // d/dw2 Σ h·w2 = h
        Assert.Equal(expected, h.ToDoubleArray());                        // and h itself was kept
    }

    /// <summary>A model that (wrongly) keeps its activation from the previous step and reads it in the next.</summary>
    private sealed class RemembersLastActivation : Module
    {
        private readonly Linear _layer;
        public Tensor? Last { get; private set; }
        public double LastSum { get; private set; }

        public RemembersLastActivation() => _layer = RegisterModule("layer", new Linear(64, 4096, generator: new Generator(9)));

        public override Tensor Forward(Tensor x)
        {
            if (Last is not null) LastSum = Last.Sum().Item();        // reads the previous step's activation
            var h = _layer.Invoke(x).Relu();                          // [16, 4096]: a pooled buffer
            Last = h;
            return h.Narrow(1, 0, 3);                                  // three class scores
        }
    }

    private static FitResult Fit(RemembersLastActivation model, TrainerOptions options)
    {
        var batches = Enumerable.Range(0, 3).Select(i => (Tensor.Randn([16, 64], generator: new Generator(50 + (ulong)i)),
            Tensor.RandInt(0, 3, [16], new Generator(60 + (ulong)i)))).ToArray();
        var trainer = new Trainer(model, new Sgd(model.Parameters(), new SgdOptions(0.01)), (y, t) => y.CrossEntropy(t), options);
        return trainer.Fit(_ => batches);
    }

    [Fact]
    public void Trainer_recycles_by_default_and_a_model_that_keeps_an_activation_gets_a_typed_error_not_stale_data()
    {
        Assert.True(new TrainerOptions().FreeIntermediates);
        var e = Assert.Throws<FreedTensorException>(() => Fit(new RemembersLastActivation(), new TrainerOptions(Epochs: 1)));
        Assert.Contains("Relu", e.Message);
        Assert.Contains("FreeIntermediates: false", e.Message);              // the message says how to keep it
        var keeping = new RemembersLastActivation();
        Fit(keeping, new TrainerOptions(Epochs: 1, FreeIntermediates: false));
        Assert.True(keeping.LastSum > 0);                                   // with recycling off it reads fine
    }
}
