using Nabla.IO.Onnx;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.IO;

/// <summary>Every built-in converter, one row per module configuration: the exported graph runs in ONNX Runtime on
/// two batch sizes (the batch dim is dynamic) and agrees with Nabla's eval-mode Forward to 1e-5.</summary>
public class OnnxLayerExportTests
{
    private static Generator G(ulong seed) => new(seed);

    private static Tensor X(ulong seed, params int[] shape) => Tensor.Randn(shape, generator: G(seed));

    private static Tensor[] Batches(params int[] itemShape) => [X(1, [3, .. itemShape]), X(2, [5, .. itemShape])];

    private static Tensor Tokens(ulong seed, int vocabulary, int n, int t)
    {
        var r = new Random((int)seed);
        return Tensor.FromArray(Enumerable.Range(0, n * t).Select(_ => r.Next(vocabulary)).ToArray(), n, t);
    }

    /// <summary>BatchNorm with random affine parameters and running statistics (not the identity of a fresh layer).</summary>
    private static T Randomized<T>(T bn) where T : BatchNormBase
    {
        int c = bn.NumFeatures;
        bn.RunningMean.CopyFrom_(Tensor.Randn([c], generator: G(10)));
        bn.RunningVar.CopyFrom_(Tensor.Rand([c], 0.5, 2, generator: G(11)));
        bn.Weight?.CopyFrom_(Tensor.Rand([c], 0.5, 1.5, generator: G(12)));
        bn.Bias?.CopyFrom_(Tensor.Randn([c], generator: G(13)));
        return bn;
    }

    private static readonly Dictionary<string, (Func<Module> Make, Func<Tensor[]> Inputs, OnnxExportOptions? Options)> Cases = new()
    {
        ["Linear"] = (() => new Linear(7, 4, generator: G(1)), () => Batches(7), null),
        ["Linear without bias"] = (() => new Linear(7, 4, bias: false, generator: G(1)), () => Batches(7), null),
        ["Linear on [N, T, F]"] = (() => new Linear(6, 3, generator: G(1)), () => Batches(4, 6), null),
        ["Conv1d stride 2 padding 1"] = (() => new Conv1d(3, 5, 3, stride: 2, padding: 1, generator: G(1)), () => Batches(3, 11), null),
        ["Conv1d same dilation 2"] = (() => new Conv1d(2, 4, 4, dilation: 2, padding: "same", generator: G(1)), () => Batches(2, 9), null),
        ["Conv1d valid no bias"] = (() => new Conv1d(2, 4, 3, bias: false, padding: "valid", generator: G(1)), () => Batches(2, 9), null),
        ["Conv2d stride 2 padding (1, 2) dilation 2"] = (() => new Conv2d(3, 4, 3, 2, (1, 2), 2, generator: G(1)), () => Batches(3, 9, 10), null),
        ["Conv2d same even kernel"] = (() => new Conv2d(2, 3, (2, 4), padding: "same", bias: false, generator: G(1)), () => Batches(2, 7, 8), null),
        ["MaxPool2d 3 stride 2 padding 1"] = (() => new MaxPool2d(3, 2, 1), () => Batches(2, 9, 8), null),
        ["MaxPool2d 2"] = (() => new MaxPool2d(2), () => Batches(2, 8, 7), null),
        ["AvgPool2d 2"] = (() => new AvgPool2d(2), () => Batches(3, 6, 6), null),
        ["AvgPool2d 3 stride 1 padding 1 (padding counted)"] = (() => new AvgPool2d(3, 1, 1), () => Batches(2, 5, 6), null),
        ["BatchNorm1d on [N, C]"] = (() => Randomized(new BatchNorm1d(6)), () => Batches(6), null),
        ["BatchNorm1d on [N, C, L]"] = (() => Randomized(new BatchNorm1d(4)), () => Batches(4, 7), null),
        ["BatchNorm2d"] = (() => Randomized(new BatchNorm2d(3, eps: 1e-3)), () => Batches(3, 4, 5), null),
        ["BatchNorm2d without affine"] = (() => Randomized(new BatchNorm2d(3, affine: false)), () => Batches(3, 4, 5), null),
        ["Dropout (identity in eval)"] = (() => new Dropout(0.5), () => Batches(10), null),
        ["Identity"] = (() => new Identity(), () => Batches(4), null),
        ["Flatten"] = (() => new Flatten(), () => Batches(2, 3, 4), null),
        ["Flatten(2, 3)"] = (() => new Flatten(2, 3), () => Batches(2, 3, 4, 5), null),
        ["Flatten(1, 2)"] = (() => new Flatten(1, 2), () => Batches(2, 3, 4), null),
        ["ReLU"] = (() => new ReLU(), () => Batches(9), null),
        ["Sigmoid"] = (() => new Sigmoid(), () => Batches(9), null),
        ["Tanh"] = (() => new Tanh(), () => Batches(9), null),
        ["LeakyReLU 0.2"] = (() => new LeakyReLU(0.2), () => Batches(9), null),
        ["ELU 0.7"] = (() => new ELU(0.7), () => Batches(9), null),
        ["Softplus"] = (() => new Softplus(), () => Batches(9), null),
        ["Softplus beta 2 threshold 1"] = (() => new Softplus(2, 1), () => Batches(9), null),
        ["GELU (erf, opset 17)"] = (() => new GELU(), () => Batches(9), null),
        ["GELU (tanh, opset 17)"] = (() => new GELU("tanh"), () => Batches(9), null),
        ["GELU (sigmoid)"] = (() => new GELU("sigmoid"), () => Batches(9), null),
        ["GELU (Gelu op, opset 20)"] = (() => new GELU(), () => Batches(9), new OnnxExportOptions(Opset: 20)),
        ["GELU (Gelu op tanh, opset 20)"] = (() => new GELU("tanh"), () => Batches(9), new OnnxExportOptions(Opset: 20)),
        ["Embedding (Gather)"] = (() => new Embedding(11, 4, generator: G(1)), () => [Tokens(1, 11, 3, 5), Tokens(2, 11, 6, 5)], null),
        ["LSTM 2 layers batch-first"] = (() => new LSTM(4, 5, 2, generator: G(1)), () => Batches(6, 4), null),
        ["LSTM time-major"] = (() => new LSTM(3, 4, batchFirst: false, generator: G(1)), () => [X(1, 5, 3, 3), X(2, 5, 2, 3)],
            new OnnxExportOptions(DynamicAxes: [1])),
        ["LSTM single bias"] = (() => new LSTM(3, 4, singleBias: true, generator: G(1)), () => Batches(5, 3), null),
        ["LSTM without bias"] = (() => new LSTM(3, 4, bias: false, generator: G(1)), () => Batches(5, 3), null),
        ["LSTM sigmoid candidate, ReLU cell"] = (() => new LSTM(3, 4, cellActivation: global::Nabla.RecurrentActivation.Relu,
            candidateActivation: global::Nabla.LstmCandidateActivation.Sigmoid, generator: G(1)), () => Batches(5, 3), null),
        ["GRU 2 layers"] = (() => new GRU(4, 5, 2, generator: G(1)), () => Batches(6, 4), null),
        ["GRU single bias"] = (() => new GRU(3, 4, singleBias: true, generator: G(1)), () => Batches(5, 3), null),
        ["RNN tanh"] = (() => new RNN(3, 4, 2, generator: G(1)), () => Batches(5, 3), null),
        ["RNN relu"] = (() => new RNN(3, 4, nonlinearity: "relu", generator: G(1)), () => Batches(5, 3), null),
        ["BasicBlock identity shortcut"] = (() => RandomizedBlock(new BasicBlock(4, 4, generator: G(1))), () => Batches(4, 6, 6), null),
        ["BasicBlock projection shortcut"] = (() => RandomizedBlock(new BasicBlock(3, 6, 2, generator: G(1))), () => Batches(3, 7, 8), null),
        ["Scale"] = (() => new Scale(0.125), () => Batches(5), null),
        ["Sequential float64"] = (() => new Sequential(new Linear(4, 3, dtype: DType.Float64, generator: G(1)), new Tanh()),
            () => [Tensor.Randn([3, 4], dtype: DType.Float64, generator: G(1)), Tensor.Randn([2, 4], dtype: DType.Float64, generator: G(2))], null),
    };

    public static readonly TheoryData<string> Rows = new(Cases.Keys);

    private static BasicBlock RandomizedBlock(BasicBlock b)
    {
        foreach (var bn in b.NamedModules().Select(m => m.Module).OfType<BatchNormBase>()) Randomized(bn);
        return b;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Exported_layer_matches_nabla_in_onnx_runtime(string row)
    {
        var (make, inputs, options) = Cases[row];
        OnnxTestRunner.AssertMatches(make(), options, 1e-5, inputs());
    }

    [Fact]
    public void Softmax_option_appends_probabilities()
    {
        var net = new Linear(5, 4, generator: G(1));
        var x = X(3, 6, 5);
        var (p, shape) = OnnxTestRunner.Run(new OnnxExporter().ExportBytes(net, x, new OnnxExportOptions(Softmax: true)), x);
        Assert.Equal([6L, 4L], shape);
        TestUtil.AssertClose(OnnxTestRunner.Reference(net, x).Softmax(-1).ToDoubleArray(), Tensor.FromArray(p, p.Length));
    }

    [Fact]
    public void Export_leaves_train_and_eval_modes_as_they_were()
    {
        var net = new Sequential(new Linear(3, 3), new Dropout(0.5), new Sequential(new BatchNorm1d(3)));
        net[2].Eval();
        new OnnxExporter().ExportBytes(net, Tensor.Randn(2, 3));
        Assert.True(net.Training);
        Assert.True(net[1].Training);
        Assert.False(net[2].Training);
        Assert.False(((Sequential)net[2])[0].Training);
    }

    private sealed class Doubler : Module
    {
        public override Tensor Forward(Tensor input) => input * 2.0;
    }

    [Fact]
    public void A_module_without_converter_is_a_typed_error_naming_its_path_and_type()
    {
        var net = new Sequential(new Linear(3, 4), new Sequential(new ReLU(), new Doubler()));
        var e = Assert.Throws<OnnxExportException>(() => new OnnxExporter().ExportBytes(net, Tensor.Randn(2, 3)));
        Assert.Equal("1.1", e.ModulePath);
        Assert.Equal("Doubler", e.ModuleType);
        Assert.Contains("'1.1' (Doubler)", e.Message);
        Assert.Contains("OnnxExporter.Register", e.Message);
    }

    [Fact]
    public void A_registered_converter_exports_a_custom_module()
    {
        var net = new Sequential(new Linear(3, 4, generator: G(3)), new Doubler());
        var exporter = new OnnxExporter().Register<Doubler>((ctx, m, x) =>
            new OnnxValue(ctx.Node("Mul", [x.Name, ctx.Scalar(ctx.Path + ".two", 2)]), x.Shape));
        var x = Tensor.Randn([4, 3], generator: G(4));
        var (y, _) = OnnxTestRunner.Run(exporter.ExportBytes(net, x), x);
        TestUtil.AssertClose(OnnxTestRunner.Reference(net, x).ToDoubleArray(), Tensor.FromArray(y, y.Length));
    }

    [Fact]
    public void Unbatched_recurrent_input_is_a_typed_error()
    {
        var e = Assert.Throws<OnnxExportException>(() => new OnnxExporter().ExportBytes(new LSTM(3, 4), Tensor.Randn(5, 3)));
        Assert.Contains("batched", e.Message);
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Throws<ArgumentException>(() => new OnnxExporter().ExportBytes(new ReLU(), Tensor.Randn(2, 3), new OnnxExportOptions(Opset: 13)));
        Assert.Throws<ArgumentException>(() => new OnnxExporter().ExportBytes(new ReLU(), Tensor.Randn(2, 3), new OnnxExportOptions(OutputName: "input")));
        Assert.Throws<ArgumentException>(() => new OnnxExporter().ExportBytes(new ReLU(), Tensor.Randn(2, 3), new OnnxExportOptions(DynamicAxes: [2])));
    }
}
