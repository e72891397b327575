using Nabla.Course;
using Nabla.Models;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Tests.Tensors;

/// <summary>The default floating dtype (<see cref="DefaultDType"/>): every creation function and module constructor
/// that is given no dtype follows it; scopes nest and restore; it is async-local.</summary>
public class DefaultDTypeTests
{
    /// <summary>One tensor from every creation function that takes an optional dtype, none given.</summary>
    private static Tensor[] Created() =>
    [
        Tensor.Empty([2]), Tensor.Zeros([2]), Tensor.Zeros(2, 3), Tensor.Ones([2]), Tensor.Ones(2), Tensor.Full([2], 3),
        Tensor.Scalar(1), Tensor.Arange(0, 3, 0.5), Tensor.Arange(4), Tensor.Linspace(0, 1, 5), Tensor.Rand([2]), Tensor.Rand(2),
        Tensor.Randn([2]), Tensor.Randn(2), Tensor.Eye(3), DropoutOp.SampleMask([4], 0.5),
    ];

    /// <summary>Every floating parameter and buffer of one module of each kind that takes an optional dtype.</summary>
    private static IEnumerable<(string Name, DType DType)> ModuleTensors()
    {
        Module[] modules =
        [
            new Linear(3, 2), new Conv1d(2, 3, 3), new Conv2d(2, 3, 3), new Embedding(5, 2), new BatchNorm1d(3), new BatchNorm2d(3),
            new RNN(3, 2), new LSTM(3, 2), new GRU(3, 2), new RNNCell(3, 2), new LSTMCell(3, 2), new GRUCell(3, 2),
            new Autoencoder(new AutoencoderOptions(InputSize: 4, CodeSize: 2)), new ClassicMlp([4, 3, 2]),
        ];
        foreach (var m in modules)
        {
            foreach (var (name, t) in m.NamedParameters()) yield return ($"{m.GetType().Name}.{name}", t.DType);
            foreach (var (name, t) in m.NamedBuffers())
                if (t.DType.IsFloatingPoint()) yield return ($"{m.GetType().Name}.{name}", t.DType);
        }
    }

    private static void AssertAll(DType expected)
    {
        Assert.Equal(expected, DefaultDType.Current);
        Assert.Equal(expected, Tensor.GetDefaultDType());
        Assert.Equal(expected, DType.GetDefault());
        Assert.All(Created(), t => Assert.Equal(expected, t.DType));
        var tensors = ModuleTensors().ToList();
        Assert.True(tensors.Count > 30);
        Assert.All(tensors, p => Assert.True(p.DType == expected, $"{p.Name} is {p.DType.Name()}, expected {expected.Name()}"));
    }

    [Fact]
    public void Float32_outside_any_scope_and_float64_inside()
    {
        Gan gan;
        AssertAll(DType.Float32);
        using (DefaultDType.Scope(DType.Float64))
        {
            AssertAll(DType.Float64);
            // An explicit dtype still wins; integer creation is unaffected.
            Assert.Equal(DType.Float32, Tensor.Zeros([2], DType.Float32).DType);
            Assert.Equal(DType.Float32, new Linear(3, 2, dtype: DType.Float32).Weight.DType);
            Assert.Equal(DType.Int32, Tensor.RandInt(0, 3, [2]).DType);
            Assert.Equal(DType.Int32, new BatchNorm1d(3).NumBatchesTracked.DType);
            // A module built in the scope runs on inputs created in it.
            var lin = new Linear(3, 2, generator: new Generator(1));
            Assert.Equal(DType.Float64, lin.Forward(Tensor.Randn(4, 3)).DType);
            gan = new Gan(new GanOptions(NoiseSize: 3, DataSize: 4, GeneratorHidden: [5], DiscriminatorHidden: [5]));
        }
        AssertAll(DType.Float32);
        Assert.Equal(DType.Float64, gan.SampleNoise(2).DType);   // the GAN's noise follows its parameters, not the ambient default
    }

    [Fact]
    public void Text_models_built_in_a_float64_scope_run_in_float64()
    {
        // Their layers follow the default; the float32 masks and bag vectors they make in Forward must follow the model.
        var tokens = Tensor.FromArray([3, 1, 0, 2, 2, 4], 2, 3);
        using var _ = DefaultDType.Scope(DType.Float64);
        var lstm = new SentenceLstm(5, 2, embeddingDim: 3, hiddenSize: 4, pooling: SentencePooling.Mean, dropout: 0);
        var bow = new BagOfWordsClassifier(5, 2);
        Assert.Equal(DType.Float64, lstm.Forward(tokens).DType);
        Assert.Equal(DType.Float64, bow.Forward(tokens).DType);
    }

    [Fact]
    public void Same_random_stream_in_either_dtype()
    {
        var a = Tensor.Randn([5], generator: new Generator(3));
        Tensor b;
        using (DefaultDType.Scope(DType.Float64)) b = Tensor.Randn([5], generator: new Generator(3));
        Assert.Equal(DType.Float64, b.DType);
        TestUtil.AssertClose(b.ToDoubleArray(), a, 1e-6);
    }

    [Fact]
    public void Scopes_nest_and_restore_in_order()
    {
        using (DefaultDType.Scope(DType.Float64))
        {
            Assert.Equal(DType.Float64, Tensor.Zeros(1).DType);
            using (DefaultDType.Scope(DType.Float32))
            {
                Assert.Equal(DType.Float32, Tensor.Zeros(1).DType);
                using (DefaultDType.Scope(DType.Float64)) Assert.Equal(DType.Float64, new LSTM(2, 2).WeightHh(0).DType);
                Assert.Equal(DType.Float32, Tensor.Ones(1).DType);
            }
            Assert.Equal(DType.Float64, Tensor.Ones(1).DType);
        }
        Assert.Equal(DType.Float32, Tensor.Ones(1).DType);
    }

    [Fact]
    public void Tensor_DefaultDType_and_UseDType_are_the_same_setting()
    {
        Assert.Equal(DType.Float32, Tensor.DefaultDType);
        void Fail()
        {
            using (Tensor.UseDType(DType.Float64))
            {
                Assert.Equal(DType.Float64, Tensor.DefaultDType);
                Assert.Equal(DType.Float64, new Linear(2, 3).Weight.DType);
                Assert.Equal(DType.Float64, Tensor.Randn(2).DType);
                throw new InvalidOperationException("boom");
            }
        }
        Assert.Throws<InvalidOperationException>(Fail);
        Assert.Equal(DType.Float32, Tensor.DefaultDType);
        Assert.Equal(DType.Float32, Tensor.Zeros(1).DType);
        try
        {
            Tensor.DefaultDType = DType.Float64;
            Assert.Equal(DType.Float64, Tensor.GetDefaultDType());
            Assert.Equal(DType.Float64, Tensor.Ones(1).DType);
            Assert.Throws<ArgumentException>(() => Tensor.DefaultDType = DType.Int32);
            Assert.Equal(DType.Float64, Tensor.DefaultDType);
        }
        finally { Tensor.DefaultDType = DType.Float32; }
        Assert.Equal(DType.Float32, Tensor.Ones(1).DType);
    }

    [Fact]
    public void An_exception_inside_the_scope_still_restores_the_default()
    {
        void Fail()
        {
            using (DefaultDType.Scope(DType.Float64))
            {
                Assert.Equal(DType.Float64, Tensor.Zeros(1).DType);
                throw new InvalidOperationException("boom");
            }
        }
        Assert.Throws<InvalidOperationException>(Fail);
        Assert.Equal(DType.Float32, DefaultDType.Current);
        Assert.Equal(DType.Float32, new Conv2d(1, 1, 3).Weight.DType);
    }

    [Fact]
    public void Set_forms_change_the_default_until_changed_back()
    {
        try
        {
            Tensor.SetDefaultDType(DType.Float64);
            Assert.Equal(DType.Float64, Tensor.Randn(2).DType);
            DType.SetDefault(DType.Float32);
            Assert.Equal(DType.Float32, Tensor.Randn(2).DType);
            DefaultDType.Set(DType.Float64);
            Assert.Equal(DType.Float64, new GRUCell(2, 2).WeightIh.DType);
            using (DefaultDType.Scope(DType.Float32)) Assert.Equal(DType.Float32, Tensor.Zeros(1).DType);
            Assert.Equal(DType.Float64, Tensor.Zeros(1).DType);   // the scope restored what Set had put
        }
        finally
        {
            DefaultDType.Set(DType.Float32);
        }
    }

    [Fact]
    public void Only_floating_dtypes_can_be_the_default()
    {
        Assert.Contains("int32", Assert.Throws<ArgumentException>(() => DefaultDType.Scope(DType.Int32)).Message);
        Assert.Throws<ArgumentException>(() => Tensor.SetDefaultDType(DType.Int32));
        Assert.Equal(DType.Float32, DefaultDType.Current);
    }

    [Fact]
    public async Task The_default_is_async_local()
    {
        // A thread whose execution context was captured before the scope keeps float32 while this flow is in float64.
        using var entered = new ManualResetEventSlim();
        DType other = DType.Float64;
        var thread = new Thread(() => { entered.Wait(); other = Tensor.Zeros(1).DType; });
        thread.Start();
        using (DefaultDType.Scope(DType.Float64))
        {
            entered.Set();
            thread.Join();
            Assert.Equal(DType.Float32, other);
            // ...while work started inside the scope inherits it, and it survives an await (which may resume elsewhere).
            Assert.Equal(DType.Float64, await Task.Run(() => Tensor.Zeros(1).DType));
            await Task.Yield();
            Assert.Equal(DType.Float64, Tensor.Zeros(1).DType);
        }
        Assert.Equal(DType.Float32, Tensor.Zeros(1).DType);

        // A change made inside an async method does not flow back to its caller.
        await SetInsideAsync();
        Assert.Equal(DType.Float32, DefaultDType.Current);
    }

    private static async Task SetInsideAsync()
    {
        DefaultDType.Set(DType.Float64);
        await Task.Yield();
        Assert.Equal(DType.Float64, DefaultDType.Current);
    }
}
