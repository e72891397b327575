using Nabla.NN;

namespace Nabla.Tests.NN;

public class ModuleTests
{
    private static Sequential Mlp() => new(new Linear(4, 3), new Flatten(), new Linear(3, 2));

    [Fact]
    public void Parameters_have_pytorch_state_dict_names()
    {
        var m = Mlp();
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], m.StateDict().Keys.ToArray());
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, m.ParameterCount());
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal("running_mean", Module.ToStateKey("RunningMean"));
        Assert.Equal("num_batches_tracked", Module.ToStateKey("NumBatchesTracked"));
    }

    [Fact]
    public void Load_state_dict_copies_values_and_rejects_mismatches_without_changing_anything()
    {
        var a = Mlp();
        var b = Mlp();
        b.LoadStateDict(a.StateDict());
        foreach (var (k, t) in a.StateDict()) Assert.Equal(t.ToArray<float>(), b.StateDict()[k].ToArray<float>());

        var wrong = new Sequential(new Linear(4, 5), new Flatten(), new Linear(5, 2));
        var before = b.StateDict()["0.weight"].ToArray<float>();
        var e = Assert.Throws<StateDictMismatchException>(() => b.LoadStateDict(wrong.StateDict()));
        Assert.Contains("0.weight", e.Message);
        Assert.Contains("[5, 4]", e.Message);
        Assert.Equal(before, b.StateDict()["0.weight"].ToArray<float>());
        var partial = a.StateDict();
        partial.Remove("2.bias");
        Assert.Contains("missing keys: 2.bias", Assert.Throws<StateDictMismatchException>(() => b.LoadStateDict(partial)).Message);
        b.LoadStateDict(partial, strict: false);
    }

    [Fact]
    public void Train_and_eval_propagate_to_children()
    {
        var m = Mlp();
        m.Eval();
        Assert.All(m.NamedModules(), x => Assert.False(x.Module.Training));
        m.Train();
        Assert.All(m.NamedModules(), x => Assert.True(x.Module.Training));
    }

    [Fact]
    public void ToString_nests_like_pytorch()
    {
        Assert.Equal("Sequential(\n  (0): Linear(in_features=4, out_features=3, bias=True)\n  (1): Flatten(start_dim=1, end_dim=-1)\n  (2): Linear(in_features=3, out_features=2, bias=True)\n)", Mlp().ToString());
    }

    [Fact]
    public void Forward_hooks_see_every_layer()
    {
        var m = Mlp();
        var shapes = new List<string>();
        var handles = m.Children.Select(c => c.Module.RegisterForwardHook((_, _, y) => shapes.Add(ShapeUtil.Format(y.Shape)))).ToList();
        m.Invoke(Tensor.Zeros(5, 4));
        Assert.Equal(["[5, 3]", "[5, 3]", "[5, 2]"], shapes);
        handles.ForEach(h => h.Dispose());
        m.Invoke(Tensor.Zeros(5, 4));
        Assert.Equal(3, shapes.Count);
    }
}
