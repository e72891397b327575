using Nabla.Data;
using Nabla.NN;

namespace Nabla.Training;

/// <summary>
/// Multi-view test-time augmentation of an image classifier (airbench's <c>infer_mirror_translate</c>): the logits of
/// several views of each image, averaged with fixed weights (see <see cref="TtaLevel"/>): mirror
/// m(x) = ½·f(x) + ½·f(flip x); level 2 gives ½·m(x) + ¼·m(S(1, 1)x) + ¼·m(S(−1, −1)x), S(dy, dx) the shift of
/// <see cref="ImageShift"/> with reflect padding. Runs without recording, in eval mode (the model's mode is restored).
/// Shape: images [N, C, H, W] (float32) → logits [N, K].
/// </summary>
public static class TestTimeAugmentation
{
    /// <summary>The views of <paramref name="level"/>: (dy, dx, mirrored, weight), weights summing to 1.</summary>
    public static IReadOnlyList<(int Dy, int Dx, bool Flip, double Weight)> Views(TtaLevel level) => level switch
    {
        TtaLevel.None => [(0, 0, false, 1.0)],
        TtaLevel.Mirror => [(0, 0, false, 0.5), (0, 0, true, 0.5)],
        TtaLevel.MirrorTranslate => [(0, 0, false, 0.25), (0, 0, true, 0.25), (1, 1, false, 0.125), (1, 1, true, 0.125), (-1, -1, false, 0.125), (-1, -1, true, 0.125)],
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "TestTimeAugmentation: not a defined TtaLevel"),
    };

    /// <summary>Σ_v weight_v·f(view_v(x)) over the views of <paramref name="level"/>, in chunks of
    /// <paramref name="batchSize"/> images.</summary>
    /// <exception cref="ArgumentException">images not float32 [N, C, H, W], or a batch size below 1</exception>
    public static Tensor Predict(Module model, Tensor images, TtaLevel level, int batchSize = 1000) =>
        Combine(PredictViews(model, images, level, batchSize), level);

    /// <summary>The logits f(view_v(x)) [N, K] of each view of <paramref name="level"/>, in the order of
    /// <see cref="Views"/> (the first is always the image itself): one forward pass per view and chunk.</summary>
    /// <exception cref="ArgumentException">images not float32 [N, C, H, W], or a batch size below 1</exception>
    public static IReadOnlyList<Tensor> PredictViews(Module model, Tensor images, TtaLevel level, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (images.Rank != 4 || images.DType != DType.Float32)
            throw ShapeMismatchException.For(nameof(TestTimeAugmentation), "needs float32 images [N, C, H, W]", images.Shape.ToArray());
        if (batchSize < 1) throw new ArgumentException($"TestTimeAugmentation: batch size must be positive, got {batchSize}");
        var views = Views(level);
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            var chunks = views.Select(_ => new List<Tensor>()).ToArray();
            for (int s = 0; s < images.Size(0); s += batchSize)
            {
                var x = images.Narrow(0, s, Math.Min(batchSize, images.Size(0) - s)).Contiguous();
                for (int v = 0; v < views.Count; v++)
                {
                    var (dy, dx, flip, _) = views[v];
                    chunks[v].Add(model.Forward(dy == 0 && dx == 0 && !flip ? x : ImageShift.ShiftFlip(x, dy, dx, flip, BorderMode.Reflect)));
                }
            }
            return chunks.Select(c => c.Count == 1 ? c[0] : Tensor.Cat(c, 0)).ToArray();
        }
        finally { model.Train(wasTraining); }
    }

    /// <summary>Σ_v weight_v·logits_v with the weights of <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentException">a number of views other than the level's</exception>
    public static Tensor Combine(IReadOnlyList<Tensor> viewLogits, TtaLevel level)
    {
        var views = Views(level);
        if (viewLogits.Count != views.Count)
            throw new ArgumentException($"TestTimeAugmentation: level {level} has {views.Count} views, got {viewLogits.Count} logits");
        using var _ = GradMode.NoGrad();
        var sum = viewLogits[0] * views[0].Weight;
        for (int v = 1; v < views.Count; v++) sum += viewLogits[v] * views[v].Weight;
        return sum;
    }
}
