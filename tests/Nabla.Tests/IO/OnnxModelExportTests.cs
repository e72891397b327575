using Nabla.Data;
using Nabla.IO.Onnx;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Data;

namespace Nabla.Tests.IO;

/// <summary>The model families Nabla trains, exported and run in ONNX Runtime: outputs agree with Nabla's to 1e-5;
/// the files pass Debian's ONNX checker; on MNIST the exported MLP predicts what Nabla predicts on every test image.</summary>
public class OnnxModelExportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private void Report(string what, double worst) => output.WriteLine($"{what}: max |onnx runtime - nabla| = {worst:E2}");

    private static Generator G(ulong seed) => new(seed);

    private static Tensor Images(ulong seed, int n, int c = 1, int h = 28, int w = 28) => Tensor.Randn([n, c, h, w], generator: G(seed));

    /// <summary>Puts every BatchNorm of <paramref name="model"/> through a few training batches, so its running
    /// statistics and num_batches_tracked are not the fresh layer's.</summary>
    private static T Warmed<T>(T model, Tensor batch) where T : Module
    {
        model.Train();
        using (GradMode.NoGrad()) for (int i = 0; i < 3; i++) model.Invoke(batch);
        return model;
    }

    private static Sequential ResNetBlockModel() => new(
        new Conv2d(3, 8, 3, padding: 1, bias: false, generator: G(1)), new BatchNorm2d(8), new ReLU(),
        new BasicBlock(8, 8, generator: G(2)),
        new BasicBlock(8, 16, stride: 2, generator: G(3)),
        new MaxPool2d(2), new Flatten(), new Linear(16 * 4 * 4, 10, generator: G(4)));

    private static Tensor Sentences(ulong seed, int vocabulary, int n, int t)
    {
        var r = new Random((int)seed);
        var ids = new int[n * t];
        for (int i = 0; i < n; i++)
        {
            int length = i == 1 ? 0 : 1 + r.Next(t);                      // row 1 is an empty sentence
            for (int j = 0; j < length; j++) ids[i * t + j] = 1 + r.Next(vocabulary - 1);
        }
        return Tensor.FromArray(ids, n, t);
    }

    [Fact]
    public void Mnist_mlp_matches()
    {
        var mlp = Mlp.Create(generator: G(1));
        Report("mnist mlp", OnnxTestRunner.AssertMatches(mlp, null, 1e-5, Images(1, 4), Images(2, 7)));
    }

    [Fact]
    public void Mlp_with_batchnorm_dropout_and_gelu_matches()
    {
        var mlp = Warmed(Mlp.Create(new MlpOptions(Hidden: [64, 32], Activation: ActivationFunction.GELU, Dropout: 0.3, BatchNorm: true), G(2)), Images(3, 16));
        OnnxTestRunner.AssertMatches(mlp, null, 1e-5, Images(1, 4), Images(2, 7));
    }

    [Fact]
    public void Mnist_cnn_matches()
    {
        var cnn = Cnn.Create(generator: G(3));
        Report("mnist cnn", OnnxTestRunner.AssertMatches(cnn, null, 1e-5, Images(1, 3), Images(2, 5)));
    }

    [Fact]
    public void Cnn_with_batchnorm_average_pooling_and_dropout_matches()
    {
        var cnn = Warmed(Cnn.Create(new CnnOptions(InChannels: 3, Height: 20, Width: 24, ZeroPadding: false, MaxPooling: false,
            BatchNorm: true, Dropout: 0.5, Activation: ActivationFunction.ELU), G(4)), Images(5, 8, 3, 20, 24));
        OnnxTestRunner.AssertMatches(cnn, null, 1e-5, Images(1, 3, 3, 20, 24), Images(2, 5, 3, 20, 24));
    }

    [Fact]
    public void Resnet_block_model_matches()
    {
        var net = Warmed(ResNetBlockModel(), Images(6, 8, 3, 16, 16));
        Report("resnet block model", OnnxTestRunner.AssertMatches(net, null, 1e-5, Images(1, 3, 3, 16, 16), Images(2, 6, 3, 16, 16)));
    }

    [Fact]
    public void Resnet9_matches()
    {
        var net = Warmed(ResNet9.Create(new ResNet9Options(Width: 4), G(5)), Images(7, 4, 3, 32, 32));
        Report("resnet9 width 4", OnnxTestRunner.AssertMatches(net, null, 1e-5, Images(1, 2, 3, 32, 32), Images(2, 3, 3, 32, 32)));
    }

    [Theory]
    [InlineData(SentencePooling.Last, 1)]
    [InlineData(SentencePooling.Mean, 1)]
    [InlineData(SentencePooling.Last, 2)]
    public void Sentence_lstm_matches_on_padded_sentences_of_any_length(SentencePooling pooling, int layers)
    {
        var model = new SentenceLstm(50, 6, embeddingDim: 8, hiddenSize: 12, numLayers: layers, pooling: pooling, generator: G(6));
        var options = new OnnxExportOptions(DynamicAxes: [0, 1]);                          // any batch, any length
        Report($"sentence lstm {pooling} {layers} layer(s)", OnnxTestRunner.AssertMatches(model, options, 1e-5, Sentences(1, 50, 5, 9), Sentences(2, 50, 3, 4), Sentences(3, 50, 8, 15)));
    }

    [Fact]
    public void Sentence_cnn_matches_including_sentences_shorter_than_the_widest_kernel()
    {
        var model = new SentenceCnn(40, 5, embeddingDim: 6, filterSizes: [2, 3, 5], filters: 7, generator: G(8));
        var options = new OnnxExportOptions(DynamicAxes: [0, 1]);
        Report("sentence cnn", OnnxTestRunner.AssertMatches(model, options, 1e-5, Sentences(1, 40, 4, 9), Sentences(2, 40, 3, 3), Sentences(3, 40, 6, 12)));
    }

    [Fact]
    public void Declared_input_and_output_shapes_name_exactly_the_dims_that_vary()
    {
        var lstm = new SentenceLstm(30, 4, 8, 8, generator: G(9));
        var bytes = new OnnxExporter().ExportBytes(lstm, Sentences(4, 30, 3, 6), new OnnxExportOptions(DynamicAxes: [0, 1]));
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
        Assert.Equal(["N", "d1"], session.InputMetadata["input"].SymbolicDimensions);
        Assert.Equal([-1, 4], session.OutputMetadata["output"].Dimensions);               // [N, classes]: the length drops out

        var recurrent = new LSTM(3, 5, generator: G(9));
        bytes = new OnnxExporter().ExportBytes(recurrent, Tensor.Randn(2, 7, 3), new OnnxExportOptions(DynamicAxes: [0, 1]));
        using var s2 = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
        Assert.Equal(["N", "out_d1", ""], s2.OutputMetadata["output"].SymbolicDimensions);   // [N, T, 5]
        Assert.Equal(5, s2.OutputMetadata["output"].Dimensions[2]);
    }

    [OnnxCheckerFact]
    public void Exported_models_pass_the_onnx_checker()
    {
        using var dir = new TempDir();
        var models = new (string Name, Module Model, Tensor Sample, OnnxExportOptions? Options)[]
        {
            ("mlp", Mlp.Create(new MlpOptions(BatchNorm: true, Dropout: 0.2, Activation: ActivationFunction.GELU), G(1)), Images(1, 2), null),
            ("cnn", Cnn.Create(generator: G(2)), Images(2, 2), null),
            ("resnet", ResNetBlockModel(), Images(3, 2, 3, 16, 16), new OnnxExportOptions(Softmax: true)),
            ("lstm", new SentenceLstm(30, 4, 8, 8, pooling: SentencePooling.Mean, generator: G(4)), Sentences(4, 30, 3, 6), new OnnxExportOptions(DynamicAxes: [0, 1])),
            ("text-cnn", new SentenceCnn(30, 4, 8, [2, 4], 5, generator: G(6)), Sentences(5, 30, 3, 6), new OnnxExportOptions(DynamicAxes: [0, 1])),
            ("gru", new Sequential(new GRU(4, 6, 2, generator: G(5)), new Flatten(), new Linear(6 * 5, 3)), Tensor.Randn(2, 5, 4), null),
        };
        foreach (var (name, model, sample, options) in models)
        {
            string path = dir.File(name + ".onnx");
            model.ExportOnnx(path, sample, options);
            var (code, output) = OnnxTestRunner.Check(path);
            Assert.True(code == 0, $"{name}: onnx.checker failed: {output}");
            Assert.StartsWith("ok 8 17 ", output);                                      // IR 8, opset 17
        }
    }

    /// <summary>The bar of issue 14: an MLP trained briefly on MNIST, exported, predicts in ONNX Runtime the same
    /// class as Nabla for each of the 10 000 test images.</summary>
    [RequiresDataFact("mnist")]
    public void Exported_mnist_mlp_predicts_what_nabla_predicts_on_the_whole_test_set()
    {
        var splits = Mnist.Load("mnist", new MnistOptions { Normalize = true });
        var mlp = Mlp.Create(new MlpOptions(Hidden: [128]), G(7));
        var sgd = new Sgd(mlp.Parameters(), new SgdOptions(LearningRate: 0.1, Momentum: 0.9));
        int steps = 0;
        foreach (var (x, y) in new DataLoader(splits.Train, 128, shuffle: true, seed: 1))
        {
            if (++steps > 150) break;                                                   // ~19 200 images: a real, quick fit
            sgd.ZeroGrad();
            mlp.Invoke(x).CrossEntropy(y).Backward();
            sgd.Step();
        }
        using var dir = new TempDir();
        string path = dir.File("mlp.onnx");
        mlp.ExportOnnx(path, Tensor.Zeros(1, 1, 28, 28));
        byte[] bytes = File.ReadAllBytes(path);

        int images = 0, same = 0, correct = 0;
        foreach (var (x, y) in new DataLoader(splits.Test, 1000))
        {
            var nabla = OnnxTestRunner.Reference(mlp, x).ArgMax(1).ToArray<int>();
            var (logits, shape) = OnnxTestRunner.Run(bytes, x);
            int classes = (int)shape[1];
            var labels = y.ToArray<int>();
            for (int i = 0; i < nabla.Length; i++)
            {
                var row = logits.AsSpan(i * classes, classes);
                int onnx = row.IndexOf(Max(row));
                same += onnx == nabla[i] ? 1 : 0;
                correct += onnx == labels[i] ? 1 : 0;
                images++;
            }
        }
        Assert.Equal(10_000, images);
        Assert.Equal(images, same);
        Assert.True(correct > 9000, $"the briefly trained MLP should exceed 90 % on MNIST, got {correct / 100.0:F2} %");
        output.WriteLine($"MNIST test set: {same}/{images} ONNX Runtime predictions equal Nabla's; accuracy {correct / 100.0:F2} %");
    }

    private static double Max(ReadOnlySpan<double> row)
    {
        double m = double.NegativeInfinity;
        foreach (var v in row) m = Math.Max(m, v);
        return m;
    }
}
