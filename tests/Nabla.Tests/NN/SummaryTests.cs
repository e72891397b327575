using Nabla.NN;

namespace Nabla.Tests.NN;

public class SummaryTests
{
    [Fact]
    public void Lists_leaf_layers_output_shapes_and_parameter_counts()
    {
        var m = new Sequential(new Flatten(), new Linear(784, 512), new Linear(512, 10));
        var s = Summary.Of(m, [1, 28, 28]);
        Assert.Equal(["Flatten-1", "Linear-1", "Linear-2"], s.Rows.Select(r => r.Type).ToArray());
        Assert.Equal([-1, 784], s.Rows[0].OutputShape);
        Assert.Equal([-1, 10], s.Rows[2].OutputShape);
        Assert.Equal(784 * 512 + 512, s.Rows[1].Parameters);
        Assert.Equal(784 * 512 + 512 + 512 * 10 + 10, s.TotalParameters);   // 407,050
        Assert.Contains("Total params: 407,050", s.ToString());
        Assert.Contains("1.weight", s.ParameterTable());
        Assert.True(m.Training);   // mode restored
    }
}
