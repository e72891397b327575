using Nabla.NN;
using Nabla.Plots;

namespace Nabla.Labs;

/// <summary>
/// Class probabilities of a classifier on a labelled set: <see cref="Probabilities"/> is row-major [N, Classes]
/// (softmax of the logits). Predicted = argmax; the margin p₍₁₎ − p₍₂₎ between the two largest probabilities
/// measures how sure the model is (0 = a 50/50 tie between two classes).
/// </summary>
public sealed record Predictions(int[] Labels, float[] Probabilities, int Classes)
{
    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int i) => Probabilities.AsSpan(i * Classes, Classes);

    public int Predicted(int i)
    {
        var p = Row(i);
        int best = 0;
        for (int j = 1; j < p.Length; j++) if (p[j] > p[best]) best = j;
        return best;
    }

    /// <summary>The two most probable classes and their probabilities.</summary>
    public (int First, float P1, int Second, float P2) TopTwo(int i)
    {
        var p = Row(i);
        int a = -1, b = -1;
        for (int j = 0; j < p.Length; j++)
        {
            if (a < 0 || p[j] > p[a]) { b = a; a = j; }
            else if (b < 0 || p[j] > p[b]) b = j;
        }
        return (a, p[a], b, b < 0 ? 0 : p[b]);
    }

    public double Error => Count == 0 ? double.NaN : (double)Enumerable.Range(0, Count).Count(i => Predicted(i) != Labels[i]) / Count;

    /// <summary>counts[true, predicted].</summary>
    public int[,] ConfusionMatrix()
    {
        var m = new int[Classes, Classes];
        for (int i = 0; i < Count; i++) m[Labels[i], Predicted(i)]++;
        return m;
    }

    /// <summary>Misclassified examples the model was most confident about (largest wrong probability first).</summary>
    public int[] ClearlyMisclassified(int count) =>
        Enumerable.Range(0, Count).Where(i => Predicted(i) != Labels[i])
            .OrderByDescending(i => TopTwo(i).P1).ThenBy(i => i).Take(count).ToArray();

    /// <summary>Examples whose two largest probabilities are closest (margin p₍₁₎ − p₍₂₎ smallest first).</summary>
    public int[] Unsure(int count) =>
        Enumerable.Range(0, Count).OrderBy(i => { var t = TopTwo(i); return t.P1 - t.P2; }).ThenBy(i => i).Take(count).ToArray();
}

/// <summary>
/// Figures for convolutional networks, fed to Nabla.Plots as plain arrays: first-layer kernels, the feature maps of
/// a chosen layer for one image (captured with a forward hook), galleries of misclassified and unsure examples, and a
/// confusion matrix. Every model evaluation runs in eval mode under no-grad and restores the previous mode.
/// </summary>
public static class Visualize
{
    /// <summary>
    /// The kernels of <paramref name="conv"/> ([Cout, Cin, kH, kW]) as an image grid with one shared intensity scale:
    /// RGB images when Cin = 3, otherwise one grayscale cell per (output, input) channel pair, a row per output
    /// channel (Cin &gt; 1) or a square grid (Cin = 1).
    /// </summary>
    public static void Kernels(string path, Conv2d conv, string? title = null, int maxKernels = 64)
    {
        var w = conv.Weight.Detach().ToDoubleArray();
        int co = Math.Min(conv.OutChannels, maxKernels), ci = conv.InChannels, kh = conv.KernelSize.H, kw = conv.KernelSize.W;
        var images = new List<float[]>();
        var captions = new List<string>();
        if (ci == 3)
        {
            for (int o = 0; o < co; o++)
            {
                images.Add(w.AsSpan(o * 3 * kh * kw, 3 * kh * kw).ToArray().Select(v => (float)v).ToArray());
                captions.Add($"{o}");
            }
        }
        else
        {
            for (int o = 0; o < co; o++)
                for (int c = 0; c < ci; c++)
                {
                    images.Add(w.AsSpan((o * ci + c) * kh * kw, kh * kw).ToArray().Select(v => (float)v).ToArray());
                    captions.Add(ci == 1 ? $"{o}" : $"{o}:{c}");
                }
        }
        ImageGrid.SavePng(path, images, ci == 3 ? 3 : 1, kh, kw, new ImageGridOptions
        {
            Columns = ci is 1 or 3 ? 0 : ci, CellSize = 48, Captions = captions, Scaling = ImageScaling.Shared,
            Title = title ?? $"{kh}×{kw} kernels of the first convolution (shared scale: black = most negative)",
        });
    }

    /// <summary>The output of <paramref name="layer"/> (a module inside <paramref name="model"/>) when the model
    /// runs on <paramref name="image"/> ([C, H, W] or [1, C, H, W]); returns [1, K, h, w].</summary>
    public static Tensor FeatureMaps(Module model, Module layer, Tensor image)
    {
        var x = image.Rank == 3 ? image.Unsqueeze(0) : image;
        Tensor? captured = null;
        using var hook = layer.RegisterForwardHook((_, _, y) => captured = y);
        RunEval(model, () => model.Invoke(x));
        return captured ?? throw new ArgumentException($"Visualize.FeatureMaps: {layer.GetType().Name} did not run in the model's forward pass");
    }

    /// <summary>Writes the first <paramref name="maxMaps"/> feature maps of <paramref name="layer"/> for one image,
    /// each stretched to its own range (black = its minimum, white = its maximum).</summary>
    public static void SaveFeatureMaps(string path, Module model, Module layer, Tensor image, string title, int maxMaps = 32)
    {
        var maps = FeatureMaps(model, layer, image);
        if (maps.Rank != 4) throw new ArgumentException($"Visualize.SaveFeatureMaps: expected a [1, K, h, w] output, got {ShapeUtil.Format(maps.Shape)}");
        int k = Math.Min(maps.Size(1), maxMaps), h = maps.Size(2), w = maps.Size(3);
        var all = maps.ToDoubleArray();
        var images = Enumerable.Range(0, k).Select(m => all.AsSpan(m * h * w, h * w).ToArray().Select(v => (float)v).ToArray()).ToList();
        ImageGrid.SavePng(path, images, 1, h, w, new ImageGridOptions
        {
            CellSize = 64, Scaling = ImageScaling.PerImage, Title = title,
            Captions = Enumerable.Range(0, k).Select(m => $"map {m}").ToList(),
        });
    }

    /// <summary>Softmax probabilities of <paramref name="model"/> on <paramref name="x"/> in batches.</summary>
    /// <remarks>With <paramref name="flipAverage"/> the class probabilities are the mean of the predictions for
    /// each image and its horizontal mirror (test-time augmentation for images [N, C, H, W]).</remarks>
    public static Predictions Predict(Module model, Tensor x, Tensor labels, int batchSize = 1000, bool flipAverage = false)
    {
        if (flipAverage && x.Rank != 4)
            throw new ArgumentException($"Visualize.Predict: flip averaging needs images [N, C, H, W], got {ShapeUtil.Format(x.Shape)}");
        int n = x.Size(0);
        var probs = new List<float>();
        int classes = 0;
        RunEval(model, () =>
        {
            for (int s = 0; s < n; s += batchSize)
            {
                var xb = x.Narrow(0, s, Math.Min(batchSize, n - s));
                var p = model.Invoke(xb).Softmax(1);
                if (flipAverage) p = p.Add(model.Invoke(xb.Flip(3)).Softmax(1)).Mul(0.5);
                classes = p.Size(1);
                probs.AddRange(p.ToDoubleArray().Select(v => (float)v));
            }
        });
        return new Predictions(labels.ToArray<int>(), probs.ToArray(), classes);
    }

    /// <summary>A gallery of the examples <paramref name="indices"/> of <paramref name="x"/> ([N, C, H, W]), each
    /// captioned "true→predicted p" (and the runner-up when <paramref name="showSecond"/>).</summary>
    public static void Gallery(string path, Tensor x, Predictions p, IReadOnlyList<int> indices, string title,
        IReadOnlyList<string>? classNames = null, bool showSecond = false)
    {
        if (indices.Count == 0) indices = [];
        int c = x.Size(1), h = x.Size(2), w = x.Size(3);
        string Name(int k) => classNames is null ? k.ToString(System.Globalization.CultureInfo.InvariantCulture) : classNames[k];
        var images = indices.Select(i => x.Select(0, i).ToDoubleArray().Select(v => (float)v).ToArray()).ToList();
        var captions = indices.Select(i =>
        {
            var t = p.TopTwo(i);
            return showSecond ? $"{Name(p.Labels[i])}: {Name(t.First)} {t.P1:0.00}/{Name(t.Second)} {t.P2:0.00}"
                              : $"{Name(p.Labels[i])}→{Name(t.First)} {t.P1:0.00}";
        }).ToList();
        if (images.Count == 0)
        {
            images.Add(new float[c * h * w]);
            captions.Add("(none)");
        }
        ImageGrid.SavePng(path, images, c, h, w, new ImageGridOptions
        {
            Columns = Math.Min(8, images.Count), CellSize = showSecond ? 96 : 72, Captions = captions, Title = title, Scaling = ImageScaling.PerImage,
        });
    }

    /// <summary>The confusion matrix counts[true, predicted] of <paramref name="p"/> as a PNG.</summary>
    public static void ConfusionMatrix(string path, Predictions p, string title, IReadOnlyList<string>? classNames = null) =>
        ConfusionMatrixPlot.SavePng(path, p.ConfusionMatrix(), classNames, title);

    private static void RunEval(Module model, Action run)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            run();
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
