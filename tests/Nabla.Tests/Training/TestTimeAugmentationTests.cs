using Nabla.Data;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class TestTimeAugmentationTests
{
    /// <summary>A nonlinear, position-dependent classifier: Flatten → Linear(2·4·4, 8) → tanh → Linear(8, 3).</summary>
    private static Sequential Model() => new(new Flatten(), new Linear(32, 8, generator: new Generator(1)), new Tanh(), new Linear(8, 3, generator: new Generator(2)));

    /// <summary>The view built independently: out[c, y, x] = in[c, r(y − dy), r(x' − dx)], x' = W − 1 − x when mirrored.</summary>
    private static Tensor View(Tensor x, int dy, int dx, bool flip)
    {
        int n = x.Size(0), c = x.Size(1), h = x.Size(2), w = x.Size(3);
        var src = x.ToArray<float>();
        var dst = new float[src.Length];
        static int R(int i, int size) => i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i;
        for (int i = 0; i < n * c; i++)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++)
                    dst[(i * h + y) * w + xx] = src[(i * h + R(y - dy, h)) * w + R((flip ? w - 1 - xx : xx) - dx, w)];
        return Tensor.FromArray(dst, n, c, h, w);
    }

    [Fact]
    public void Mirror_translate_is_half_the_mirror_average_plus_a_quarter_of_each_shifted_mirror_average()
    {
        var model = Model();
        var x = Tensor.Randn([5, 2, 4, 4], generator: new Generator(3));
        var got = TestTimeAugmentation.Predict(model, x, TtaLevel.MirrorTranslate).ToArray<float>();
        model.Eval();
        Tensor M(Tensor v) => (model.Forward(v) + model.Forward(View(v, 0, 0, true))) * 0.5;
        var expected = (M(x) * 0.5 + M(View(x, 1, 1, false)) * 0.25 + M(View(x, -1, -1, false)) * 0.25).ToArray<float>();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 5);
        var mirror = TestTimeAugmentation.Predict(model, x, TtaLevel.Mirror).ToArray<float>();
        var m = M(x).ToArray<float>();
        for (int i = 0; i < m.Length; i++) Assert.Equal(m[i], mirror[i], 5);
        Assert.Equal(model.Forward(x).ToArray<float>(), TestTimeAugmentation.Predict(model, x, TtaLevel.None).ToArray<float>());
    }

    [Fact]
    public void Chunking_does_not_change_the_result_views_come_in_order_and_the_mode_is_restored()
    {
        var model = Model();
        model.Train();
        var x = Tensor.Randn([7, 2, 4, 4], generator: new Generator(4));
        var whole = TestTimeAugmentation.Predict(model, x, TtaLevel.MirrorTranslate, batchSize: 100).ToArray<float>();
        var chunked = TestTimeAugmentation.Predict(model, x, TtaLevel.MirrorTranslate, batchSize: 3).ToArray<float>();
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole[i], chunked[i], 5);
        Assert.True(model.Training);
        var views = TestTimeAugmentation.PredictViews(model, x, TtaLevel.MirrorTranslate, 4);
        Assert.Equal(6, views.Count);
        Assert.Equal(1.0, TestTimeAugmentation.Views(TtaLevel.MirrorTranslate).Sum(v => v.Weight), 12);
        model.Eval();
        Assert.Equal(model.Forward(x).ToArray<float>(), views[0].ToArray<float>());
        Assert.Equal(model.Forward(ImageShift.ShiftFlip(x, -1, -1, true, BorderMode.Reflect)).ToArray<float>(), views[5].ToArray<float>());
        Assert.Throws<ArgumentException>(() => TestTimeAugmentation.Combine(views.Take(2).ToList(), TtaLevel.MirrorTranslate));
        Assert.Throws<ShapeMismatchException>(() => TestTimeAugmentation.Predict(model, Tensor.Ones([2, 32]), TtaLevel.Mirror));
    }
}
