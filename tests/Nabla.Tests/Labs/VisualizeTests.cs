using Nabla.Labs;
using Nabla.NN;
using Nabla.Tests.Plots;

namespace Nabla.Tests.Labs;

public class VisualizeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-visualize-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private (int W, int H) Png(string file) => PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, file)), minBytes: 100);

    // ImageGrid layout: title 26 px, padding 4, a row = cell (side·⌈CellSize/side⌉) + caption 16 + padding 4.
    [Fact]
    public void Kernel_grid_has_one_cell_per_kernel()
    {
        var conv = new Conv2d(1, 4, 5, generator: new Generator(1));
        Visualize.Kernels(Path.Combine(_dir, "k.png"), conv);
        var (w, h) = Png("k.png");
        Assert.Equal(26 + 4 + 2 * (5 * 10 + 16 + 4), h);              // 4 kernels → 2×2, 5 px enlarged ×⌈48/5⌉ = 10
        Assert.True(w >= 4 + 2 * (50 + 4), $"width {w}");
        // Cin = 2: one cell per (out, in) pair, a row per output channel: 3 rows of 2.
        Visualize.Kernels(Path.Combine(_dir, "k2.png"), new Conv2d(2, 3, 3));
        Assert.Equal(26 + 4 + 3 * (3 * 16 + 16 + 4), Png("k2.png").H);
    }

    [Fact]
    public void Feature_maps_are_the_hooked_layer_output()
    {
        var conv = new Conv2d(1, 3, 3, padding: 1, generator: new Generator(2));
        var relu = new ReLU();
        var model = new Sequential(conv, relu, new Flatten());
        var image = Tensor.Randn([1, 8, 8], generator: new Generator(3));
        var maps = Visualize.FeatureMaps(model, relu, image);
        TestUtil.AssertClose(conv.Forward(image.Unsqueeze(0)).Relu().ToDoubleArray(), maps, 1e-6);
        Assert.True(model.Training);                                    // mode restored
        Visualize.SaveFeatureMaps(Path.Combine(_dir, "maps.png"), model, relu, image, "maps");
        Assert.Equal(26 + 4 + 2 * (64 + 16 + 4), Png("maps.png").H);   // 3 maps of 8×8 ×8 → 2×2 grid
        Assert.Throws<ArgumentException>(() => Visualize.FeatureMaps(model, new ReLU(), image));
    }

    private static Predictions Sample() => new(
        [0, 1, 2, 1],
        [
            0.9f, 0.05f, 0.05f,     // right, sure
            0.7f, 0.2f, 0.1f,       // wrong (1 → 0) with p 0.7
            0.45f, 0.1f, 0.45f,     // tie 0/2 (argmax picks the first: 0, wrong) with p 0.45
            0.2f, 0.41f, 0.39f,     // right but unsure: margin 0.02
        ], 3);

    [Fact]
    public void Predictions_rank_mistakes_and_unsure_examples()
    {
        var p = Sample();
        Assert.Equal(0.5, p.Error);
        Assert.Equal([1, 2], p.ClearlyMisclassified(5));
        Assert.Equal([2, 3, 1, 0], p.Unsure(4));                        // margins 0, 0.02, 0.5, 0.85
        var t = p.TopTwo(3);
        Assert.Equal((1, 2), (t.First, t.Second));
        var cm = p.ConfusionMatrix();
        Assert.Equal(1, cm[0, 0]);
        Assert.Equal(1, cm[1, 0]);
        Assert.Equal(1, cm[1, 1]);
        Assert.Equal(1, cm[2, 0]);
        Assert.Equal(4, cm.Cast<int>().Sum());
    }

    [Fact]
    public void Predict_gallery_and_confusion_pngs()
    {
        var model = new Sequential(new Flatten(), new Linear(4, 3, generator: new Generator(4)));
        var x = Tensor.Randn([4, 1, 2, 2], generator: new Generator(5));
        var p = Visualize.Predict(model, x, Tensor.FromArray(new[] { 0, 1, 2, 1 }, 4), batchSize: 3);
        Assert.Equal(12, p.Probabilities.Length);
        for (int i = 0; i < 4; i++) Assert.Equal(1.0, p.Row(i).ToArray().Sum(), 5);
        var logits = model.Forward(x).ToDoubleArray();
        for (int i = 0; i < 4; i++)
            Assert.Equal(Enumerable.Range(0, 3).MaxBy(j => logits[i * 3 + j]), p.Predicted(i));
        var sample = Sample();
        Visualize.Gallery(Path.Combine(_dir, "g.png"), x, sample, [0, 1, 2], "gallery");
        Assert.Equal(26 + 4 + (2 * 36 + 16 + 4), Png("g.png").H);      // one row of 3; 2 px ×⌈72/2⌉ = 36
        Visualize.Gallery(Path.Combine(_dir, "empty.png"), x, sample, [], "none");
        Png("empty.png");
        Visualize.ConfusionMatrix(Path.Combine(_dir, "cm.png"), sample, "cm");
        var (w, h) = Png("cm.png");
        Assert.True(w > 100 && h > 100);
    }
    [Fact]
    public void Flip_average_is_the_mean_of_the_image_and_its_mirror()
    {
        // One image [1, 1, 1, 2] = (a, b) and Linear weights rows (1, 0), (0, 1), no bias: logits (a, b), and for the
        // mirror (b, a). Two-class softmax by hand: p0 = 1/(1 + e^(b−a)) for the image, 1/(1 + e^(a−b)) for the mirror.
        var linear = new Linear(2, 2, bias: false);
        linear.Weight.CopyFrom_(Tensor.FromArray(new float[] { 1, 0, 0, 1 }, 2, 2));
        var model = new Sequential(new Flatten(), linear);
        double a = 0.3, b = 1.5;
        var x = Tensor.FromArray(new float[] { (float)a, (float)b }, 1, 1, 1, 2);
        var p = Visualize.Predict(model, x, Tensor.FromArray(new[] { 0 }, 1), flipAverage: true);
        double expected0 = 0.5 * (1 / (1 + Math.Exp(b - a)) + 1 / (1 + Math.Exp(a - b)));
        Assert.Equal(expected0, p.Row(0)[0], 6);   // = 0.5 exactly: the two views disagree symmetrically
        var plain = Visualize.Predict(model, x, Tensor.FromArray(new[] { 0 }, 1));
        Assert.Equal(1 / (1 + Math.Exp(b - a)), plain.Row(0)[0], 6);
        Assert.Throws<ArgumentException>(() => Visualize.Predict(model, Tensor.Zeros([1, 2]), Tensor.FromArray(new[] { 0 }, 1), flipAverage: true));
    }
}
