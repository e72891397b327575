using System.Globalization;
using System.Reflection;
using Nabla.NN;
using Nabla.Optim;
using Xunit.Abstractions;

namespace Nabla.Tests;

/// <summary>
/// The README's table "Coming from PyTorch": every default that differs is checked here, and every other constructor
/// default of the modules is checked to equal PyTorch's. The PyTorch values were read from PyTorch 1.13
/// (<c>/usr/bin/python3 -c "import torch, inspect; print(inspect.signature(torch.nn.Linear.__init__))"</c>, likewise
/// for each module; RNN/LSTM/GRU take *args, their defaults are those of <c>torch.nn.RNNBase</c>'s docs). The optimizers'
/// defaults are checked by <see cref="Optim.DefaultConstructorTests"/>.
/// </summary>
public class PyTorchDifferencesTests(ITestOutputHelper output)
{
    /// <summary>PyTorch's keyword defaults per module, snake_case as in PyTorch (device/dtype/inplace left out).</summary>
    private static readonly (Type Type, Dictionary<string, object?> Defaults)[] PyTorch =
    [
        (typeof(Linear), new() { ["bias"] = true }),
        (typeof(Conv1d), new() { ["stride"] = 1, ["padding"] = 0, ["dilation"] = 1, ["groups"] = 1, ["bias"] = true, ["padding_mode"] = "zeros" }),
        (typeof(Conv2d), new() { ["stride"] = 1, ["padding"] = 0, ["dilation"] = 1, ["groups"] = 1, ["bias"] = true, ["padding_mode"] = "zeros" }),
        (typeof(Embedding), new() { ["padding_idx"] = null, ["max_norm"] = null, ["norm_type"] = 2.0, ["scale_grad_by_freq"] = false, ["sparse"] = false }),
        (typeof(Dropout), new() { ["p"] = 0.5 }),
        (typeof(BatchNorm1d), new() { ["eps"] = 1e-5, ["momentum"] = 0.1, ["affine"] = true, ["track_running_stats"] = true }),
        (typeof(BatchNorm2d), new() { ["eps"] = 1e-5, ["momentum"] = 0.1, ["affine"] = true, ["track_running_stats"] = true }),
        (typeof(MaxPool2d), new() { ["stride"] = null, ["padding"] = 0, ["dilation"] = 1, ["return_indices"] = false, ["ceil_mode"] = false }),
        (typeof(AvgPool2d), new() { ["stride"] = null, ["padding"] = 0, ["ceil_mode"] = false, ["count_include_pad"] = true, ["divisor_override"] = null }),
        (typeof(Flatten), new() { ["start_dim"] = 1, ["end_dim"] = -1 }),
        (typeof(RNN), new() { ["num_layers"] = 1, ["nonlinearity"] = "tanh", ["bias"] = true, ["batch_first"] = false, ["dropout"] = 0.0, ["bidirectional"] = false }),
        (typeof(LSTM), new() { ["num_layers"] = 1, ["bias"] = true, ["batch_first"] = false, ["dropout"] = 0.0, ["bidirectional"] = false, ["proj_size"] = 0 }),
        (typeof(GRU), new() { ["num_layers"] = 1, ["bias"] = true, ["batch_first"] = false, ["dropout"] = 0.0, ["bidirectional"] = false }),
        (typeof(RNNCell), new() { ["bias"] = true, ["nonlinearity"] = "tanh" }),
        (typeof(LSTMCell), new() { ["bias"] = true }),
        (typeof(GRUCell), new() { ["bias"] = true }),
        (typeof(LeakyReLU), new() { ["negative_slope"] = 0.01 }),
        (typeof(ELU), new() { ["alpha"] = 1.0 }),
        (typeof(GELU), new() { ["approximate"] = "none" }),
        (typeof(Softplus), new() { ["beta"] = 1.0, ["threshold"] = 20.0 }),
    ];

    /// <summary>The defaults that differ on purpose (README table): "Type.parameter" → Nabla's default.</summary>
    private static readonly Dictionary<string, object> Differences = new()
    {
        ["RNN.batchFirst"] = true,
        ["LSTM.batchFirst"] = true,
        ["GRU.batchFirst"] = true,
    };

    private static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>Numbers compare as doubles, enums by their lower-case name (an enum replacing PyTorch's string).</summary>
    private static object? Normalize(object? v) => v switch
    {
        null => null,
        Enum e => e.ToString().ToLowerInvariant(),
        bool b => b,
        string s => s,
        IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
        _ => v,
    };

    [Fact]
    public void Module_constructor_defaults_are_pytorchs_except_the_listed_differences()
    {
        var differences = new Dictionary<string, object>();
        int compared = 0;
        foreach (var (type, defaults) in PyTorch)
        {
            var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var parameters = ctor.GetParameters().ToDictionary(p => p.Name!);
            foreach (var (snake, torchDefault) in defaults)
            {
                string name = Camel(snake);
                if (!parameters.TryGetValue(name, out var p))
                {
                    output.WriteLine($"{type.Name}: PyTorch's {snake} has no counterpart");
                    continue;
                }
                Assert.True(p.HasDefaultValue, $"{type.Name}({name}) has no default; PyTorch's {snake} defaults to {torchDefault ?? "None"}");
                object? mine = p.DefaultValue;
                if (mine is null && torchDefault is not null)
                {
                    output.WriteLine($"{type.Name}({name}): null resolves to PyTorch's {torchDefault} at construction");
                    continue;
                }
                compared++;
                if (!Equals(Normalize(mine), Normalize(torchDefault))) differences[$"{type.Name}.{name}"] = mine!;
            }
        }
        Assert.True(compared > 30, $"only {compared} defaults compared");
        Assert.Equal(Differences.OrderBy(d => d.Key).Select(d => $"{d.Key} = {d.Value}"),
                     differences.OrderBy(d => d.Key).Select(d => $"{d.Key} = {d.Value}"));
    }

    [Fact]
    public void Null_defaults_resolve_to_pytorchs_values()
    {
        // Conv padding 0, dilation 1, stride 1; pools' stride = kernel size, padding 0 (checked through the output shape).
        var x = Tensor.Randn(1, 1, 8, 8);
        Assert.Equal(new[] { 1, 1, 6, 6 }, new Conv2d(1, 1, 3).Forward(x).Shape.ToArray());
        Assert.Equal(new[] { 1, 1, 6 }, new Conv1d(1, 1, 3).Forward(Tensor.Randn(1, 1, 8)).Shape.ToArray());
        Assert.Equal(new[] { 1, 1, 4, 4 }, new MaxPool2d(2).Forward(x).Shape.ToArray());
        Assert.Equal(new[] { 1, 1, 2, 2 }, new AvgPool2d(3).Forward(x).Shape.ToArray());
        Assert.Null(new Embedding(5, 3).PaddingIdx);
    }

    [Fact]
    public void Recurrent_modules_are_batch_first_by_default()
    {
        var lstm = new LSTM(3, 4);
        Assert.True(lstm.BatchFirst);
        var r = lstm.Run(Tensor.Randn(2, 5, 3));                   // [N=2, T=5, 3]
        Assert.Equal(new[] { 2, 5, 4 }, r.Output.Shape.ToArray());  // [N, T, H]
        Assert.Equal(new[] { 1, 2, 4 }, r.HN.Shape.ToArray());      // [layers, N, H], as PyTorch's h_n
        Assert.False(new GRU(3, 4, batchFirst: false).BatchFirst);
    }

    [Fact]
    public void Dtypes_follow_the_data_and_labels_are_int32()
    {
        Assert.Equal(DType.Float32, Tensor.Zeros(2).DType);                        // torch.zeros: float32
        Assert.Equal(DType.Float32, Tensor.Randn(2).DType);
        Assert.Equal(DType.Float64, Tensor.FromArray([1.0, 2.0]).DType);          // torch.tensor([1.0, 2.0]): float32
        Assert.Equal(DType.Float32, Tensor.FromArray(new float[] { 1, 2 }).DType);
        Assert.Equal(DType.Int32, Tensor.FromArray(new[] { 1, 2 }).DType);        // torch.tensor([1, 2]): int64
        Assert.Equal(DType.Float32, Tensor.Arange(6).DType);                       // torch.arange(6): int64
        Assert.Equal(DType.Int32, Tensor.RandInt(0, 10, [4]).DType);               // torch.randint: int64
        Assert.Equal(DType.Int32, Tensor.Randn(3, 5).ArgMax(1).DType);             // torch.argmax: int64
        // CrossEntropy takes the int32 labels (PyTorch: int64 class indices).
        Assert.True(double.IsFinite(Tensor.Randn(3, 5).CrossEntropy(Tensor.FromArray(new[] { 0, 4, 2 })).Item()));
    }

    [Fact]
    public void Linear_and_conv_biases_start_at_zero()
    {
        // PyTorch draws them from U(−1/√fan_in, 1/√fan_in), as the weights; the weights' bound is PyTorch's.
        Generator.ManualSeed(0);
        var linear = new Linear(16, 8);
        Assert.All(linear.Bias!.ToDoubleArray(), b => Assert.Equal(0.0, b));
        Assert.All(linear.Weight.ToDoubleArray(), w => Assert.InRange(w, -0.25, 0.25));
        Assert.Contains(linear.Weight.ToDoubleArray(), w => Math.Abs(w) > 0.2);
        Assert.All(new Conv2d(2, 3, 3).Bias!.ToDoubleArray(), b => Assert.Equal(0.0, b));
    }

    [Fact]
    public void Softmax_without_dim_is_over_the_last_dim()
    {
        // PyTorch's implicit dim (deprecated, with a warning) would pick dim 0 for a 3-d input; Nabla uses -1.
        var x = Tensor.Randn([2, 3, 4], dtype: DType.Float64);
        TestUtil.AssertClose(x.Softmax(2).ToDoubleArray(), x.Softmax(), 0);
        TestUtil.AssertClose(Enumerable.Repeat(1.0, 6).ToArray(), x.Softmax().Sum(2), 1e-12);
    }

    [Fact]
    public void AdamW_with_options_takes_their_weight_decay()
    {
        // new AdamW(params) decays by PyTorch's 1e-2; passing AdamOptions without WeightDecay means 0 (AdamOptions is
        // shared with Adam, whose default is 0), where PyTorch's AdamW(lr=3e-4) still decays by 1e-2.
        var p = Tensor.FromArray([1.0, -2.0]).RequiresGrad_();
        Assert.Equal(1e-2, new AdamW([p]).Options.WeightDecay);
        Assert.Equal(0.0, new AdamW([p], new AdamOptions(LearningRate: 3e-4)).Options.WeightDecay);
        Assert.Equal(1e-2, new AdamW([p], new AdamOptions(LearningRate: 3e-4, WeightDecay: 1e-2)).Options.WeightDecay);
    }

    [Fact]
    public async Task Default_dtype_is_float32_scoped_and_per_async_flow()
    {
        Assert.Equal(DType.Float32, Tensor.GetDefaultDType());
        using (DefaultDType.Scope(DType.Float64))
        {
            Assert.Equal(DType.Float64, Tensor.Zeros(2).DType);
            Assert.Equal(DType.Float64, new Linear(2, 2).Weight.DType);
            Assert.Equal(DType.Float64, await Task.Run(() => Tensor.Randn(2).DType));   // flows into work started here
        }
        Assert.Equal(DType.Float32, Tensor.Zeros(2).DType);
        // Set inside another flow, it stays there (torch.set_default_dtype would change it for the whole process).
        await Task.Run(() => Tensor.SetDefaultDType(DType.Float64));
        Assert.Equal(DType.Float32, Tensor.Zeros(2).DType);
        Assert.Equal(DType.Float32, new Linear(2, 2).Weight.DType);
    }
}
