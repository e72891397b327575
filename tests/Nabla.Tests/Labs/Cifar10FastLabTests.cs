using System.Text.Json;
using Nabla.Labs;
using Nabla.NN;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class Cifar10FastLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cifar10-fast-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private Dictionary<string, double?> Results() =>
        JsonSerializer.Deserialize<Dictionary<string, double?>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;

    [RequiresDataFact("cifar10")]
    public void Quick_run_trains_scores_the_test_set_once_and_reports_the_timing()
    {
        var log = new StringWriter();
        new Cifar10FastLab().Run(new LabContext(_dir, Quick: true, Log: log));
        var m = Results();
        // Widths 8, 16, 16; trainable: whitening bias 24; per group conv1 + BN bias + conv2 + BN bias; Linear 16·10 (no bias).
        Assert.Equal(24 + (24 * 8 * 9 + 8 + 8 * 8 * 9 + 8) + (8 * 16 * 9 + 16 + 16 * 16 * 9 + 16) + (16 * 16 * 9 + 16 + 16 * 16 * 9 + 16) + 160, m["parameters"]);
        Assert.Equal(12, m["steps"]);   // 1,200 images / batch 200 = 6 steps per epoch, 2 epochs
        Assert.InRange(m["test_accuracy"]!.Value, 0, 1);
        Assert.InRange(m["test_accuracy_one_view"]!.Value, 0, 1);
        Assert.Null(m["valid_accuracy"]);   // no hold-out
        Assert.True(m["train_seconds"] > 0);
        Assert.True(m["cpu_seconds_per_step"] > 0);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("smoke run", md.Split('\n')[0]);
        Assert.Contains("CIFAR-10 (JPEG copy)", md);
        Assert.Contains("(300, CIFAR-10 (JPEG copy))", md);   // 300 test images, scored once
        Assert.Contains("**Final run** on CIFAR-10 (JPEG copy): trained on 1,200", md);
        Assert.Contains("whitening filters from 200 images", log.ToString());
    }

    [RequiresDataFact("cifar10")]
    public void A_selection_run_scores_held_out_images_and_no_test_image()
    {
        new Cifar10FastLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["held-out"] = "200", ["train"] = "400", ["test"] = "0", ["epochs"] = "1", ["tta"] = "mirror", ["recipe"] = "sgd",
        }));
        var m = Results();
        Assert.Null(m["test_accuracy"]);
        Assert.InRange(m["valid_accuracy"]!.Value, 0, 1);
        Assert.Equal(2, m["steps"]);
        Assert.Contains("**Selection run**", File.ReadAllText(Path.Combine(_dir, "report.md")));
    }

    [Fact]
    public void Muon_recipe_splits_filters_from_biases_and_head_with_airbench94_muons_rates()
    {
        var s = new Cifar10FastLab().Full with { Widths = [4, 8, 8] };
        Assert.Equal(FastRecipe.Muon, s.Recipe);
        Assert.Equal(1.0 / 8, s.LogitScaleOrDefault, 15);
        var net = Cifar10FastNet.Create(s.Widths, s.BnMomentum, s.LogitScaleOrDefault, new Generator(1));
        var (groups, whiten) = Cifar10FastLab.MuonSgdGroups(net, s, 2000);
        double wd = 2e-6 * 2000;   // per image × batch, given to each group as wd/lr (PyTorch's coupled decay)
        Assert.Equal(0, whiten);
        Assert.Single(groups[0].Params);
        Assert.Equal(0.053, groups[0].LearningRate, 15);
        Assert.Equal(wd / 0.053, groups[0].WeightDecay, 12);
        Assert.Equal(6, groups[1].Params.Count);   // BatchNorm biases
        Assert.Equal(0.67, groups[2].LearningRate, 15);
        Assert.Equal(wd / 0.67, groups[2].WeightDecay, 12);
        Assert.Equal(new[] { 10, 8 }, groups[2].Params.Single().Shape.ToArray());
        var filters = Cifar10FastLab.Filters(net);
        Assert.Equal(6, filters.Count);   // the whitening weight is frozen and excluded
        Assert.All(filters, f => Assert.Equal(3, f.Size(3)));
        // every trainable parameter in exactly one optimiser
        var all = groups.SelectMany(g => g.Params).Concat(filters).ToList();
        Assert.Equal(net.Parameters().Count(p => p.RequiresGrad), all.Distinct().Count());
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void The_muon_head_starts_at_unit_standard_deviation()
    {
        var net = Cifar10FastNet.Create([4, 8, 16], 0.6, 1.0 / 16, new Generator(2));
        Cifar10FastNet.UnitStdHead(net);
        var w = net.Children.Select(c => c.Module).OfType<Linear>().Single().Weight.ToDoubleArray();
        double mean = w.Average();
        Assert.Equal(1.0, Math.Sqrt(w.Sum(x => (x - mean) * (x - mean)) / (w.Length - 1)), 6);   // float32 weights
    }

    [Fact]
    public void The_schedule_is_airbench94s_triangle()
    {
        // 100 steps: peak at ⌊23⌋; 0.2 → 1 linearly, then 1 → 0.07 over the remaining 77 steps.
        Assert.Equal(0.2, Cifar10FastLab.Triangle(0, 100), 12);
        Assert.Equal(0.2 + 0.8 * 10 / 23, Cifar10FastLab.Triangle(10, 100), 12);
        Assert.Equal(1, Cifar10FastLab.Triangle(23, 100), 12);
        Assert.Equal(1 - 0.93 * 27 / 77, Cifar10FastLab.Triangle(50, 100), 12);
        Assert.Equal(0.07, Cifar10FastLab.Triangle(100, 100), 12);
    }

    [Fact]
    public void Parameter_groups_carry_airbench94s_decoupled_rates()
    {
        var s = new Cifar10FastLab().Full with { Widths = [4, 8, 8] };
        var net = Cifar10FastNet.Create(s.Widths, s.BnMomentum, s.LogitScaleOrDefault, new Generator(1));
        var (groups, whiten) = Cifar10FastLab.ParamGroups(net, s, 1024);
        // kilostep = 1024·(1 + 1/0.15); lr = 11.5/kilostep; wd = 0.0153·1024/kilostep, given as wd/lr per group.
        double kilostep = 1024 * (1 + 1 / 0.15), lr = 11.5 / kilostep, wd = 0.0153 * 1024 / kilostep;
        Assert.Equal(lr * 64, groups[0].LearningRate, 12);
        Assert.Equal(wd / (lr * 64), groups[0].WeightDecay, 12);
        Assert.Equal(6, groups[0].Params.Count);   // six BatchNorm biases
        Assert.Equal(1, whiten);
        Assert.Single(groups[whiten].Params);
        Assert.Equal(lr, groups[2].LearningRate, 12);
        Assert.Equal(wd / lr, groups[2].WeightDecay, 12);
        Assert.Equal(7, groups[2].Params.Count);   // six 3×3 convs and the linear layer; no frozen weight anywhere
        Assert.DoesNotContain(groups.SelectMany(g => g.Params), p => !p.RequiresGrad);
    }

    [Fact]
    public void The_convs_start_as_identity_and_the_whitening_weight_is_frozen()
    {
        var net = Cifar10FastNet.Create([4, 8, 8], 0.6, 1.0 / 9, new Generator(2));
        Assert.False(Cifar10FastNet.Whitening(net).Weight.RequiresGrad);
        var bias = Cifar10FastNet.Whitening(net).Bias!.ToArray<float>();   // PyTorch's conv bias: U(±1/√(3·2·2))
        Assert.All(bias, v => Assert.InRange(v, -1 / Math.Sqrt(12), 1 / Math.Sqrt(12)));
        Assert.True(bias.Distinct().Count() == 24 && bias.Max() - bias.Min() > 0.25, $"the bias should be spread over ±0.289, got [{bias.Min()}, {bias.Max()}]");
        var group = (ConvGroup)net.Children[2].Module;
        var w = group.Conv1.Weight.ToArray<float>();   // [4, 24, 3, 3]: min(24, 4) = 4 identity filters
        for (int o = 0; o < 4; o++)
            for (int i = 0; i < 24; i++)
                for (int k = 0; k < 9; k++) Assert.Equal(o == i && k == 4 ? 1f : 0f, w[(o * 24 + i) * 9 + k]);
        var g2 = (ConvGroup)net.Children[3].Module;
        var w2 = g2.Conv1.Weight.ToArray<float>();     // [8, 4, 3, 3]: filters 0..3 identity, 4..7 random
        Assert.Equal(1f, w2[(1 * 4 + 1) * 9 + 4]);
        Assert.Contains(w2[(4 * 36)..], v => v != 0);
        Assert.False(group.Norm1.Weight!.RequiresGrad);
        Assert.Equal(24 * 12 * 961 + 24 * 4 * 9 * 961 + 4 * 4 * 9 * 225 + 4 * 8 * 9 * 225 + 8 * 8 * 9 * 49 + 8 * 8 * 9 * 49 + 8 * 8 * 9 * 9 + 80,
            Cifar10FastNet.ForwardMacs([4, 8, 8]));
        var y = net.Forward(Tensor.Randn([2, 3, 32, 32], generator: new Generator(3)));
        Assert.Equal([2, 10], y.Shape.ToArray());
    }

    [Fact]
    public void A_conv_group_in_eval_gives_the_same_values_without_gradients_and_keeps_its_state_keys()
    {
        var group = new ConvGroup(3, 4, 0.6, new Generator(5));
        using (GradMode.NoGrad())
        {
            group.Norm1.RunningMean.CopyFrom_(Tensor.Randn([4], generator: new Generator(6)));
            group.Norm2.RunningVar.CopyFrom_(Tensor.Rand([4], generator: new Generator(7)) + 0.5);
            group.Norm2.Bias!.CopyFrom_(Tensor.Randn([4], generator: new Generator(8)));
        }
        group.Eval();
        var x = Tensor.Randn([2, 3, 8, 8], generator: new Generator(9));
        // the stages one by one, as the group is defined: conv, pool, BN, GELU, conv, BN, GELU
        var h = group.Norm1.Forward(group.Conv1.Forward(x).MaxPool2d(2, 2, 0)).Gelu();
        var expected = group.Norm2.Forward(group.Conv2.Forward(h)).Gelu().ToArray<float>();
        var before = x.ToArray<float>();
        Tensor y;
        using (GradMode.NoGrad()) y = group.Forward(x);   // the in-place path of its chain
        Assert.Equal(expected, y.ToArray<float>());
        Assert.Equal(before, x.ToArray<float>());
        Assert.Equal(["conv1.weight", "conv2.weight", "norm1.bias", "norm1.num_batches_tracked", "norm1.running_mean", "norm1.running_var",
            "norm1.weight", "norm2.bias", "norm2.num_batches_tracked", "norm2.running_mean", "norm2.running_var", "norm2.weight"],
            group.StateDict().Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Bar_and_projection_sentences_follow_the_numbers()
    {
        Assert.Contains("reaches the goal of 94 %", Cifar10FastLab.BarSentence(0.9412, 1500, false, 10_000));
        Assert.Contains("meets the bar of 30 min", Cifar10FastLab.BarSentence(0.9412, 1500, false, 10_000));
        Assert.Contains("above the bar of 93 % but below the goal", Cifar10FastLab.BarSentence(0.935, 1900, false, 10_000));
        Assert.Contains("does not meet the bar of 30 min", Cifar10FastLab.BarSentence(0.935, 1900, false, 10_000));
        Assert.Contains("below the bar of 93 %", Cifar10FastLab.BarSentence(0.92, 100, false, 10_000));
        Assert.Contains("selection run", Cifar10FastLab.BarSentence(0.95, 100, true, 5_000));
        Assert.Contains("is 16.7 min", Cifar10FastLab.ProjectionSentence(2000, 2, 3000));
        Assert.Contains("3.0× that", Cifar10FastLab.ProjectionSentence(2000, 2, 3000));
        Assert.Contains("not contended", Cifar10FastLab.ProjectionSentence(2000, 2, 1050));
    }

    [Fact]
    public void Settings_that_cannot_make_a_run_are_refused_by_name()
    {
        var s = new Cifar10FastLab().Full;
        Assert.Contains("'widths'", Assert.Throws<ArgumentException>(() => (s with { Widths = [64, 256] }).Validate()).Message);
        Assert.Contains("'held-out'", Assert.Throws<ArgumentException>(() => (s with { Test = 0 }).Validate()).Message);
        Assert.Contains("'train'", Assert.Throws<ArgumentException>(() => (s with { HeldOut = 5000, Train = 46_000 }).Validate()).Message);
        Assert.Contains("'batch-size'", Assert.Throws<ArgumentException>(() => (s with { Train = 500 }).Validate()).Message);
    }
}
