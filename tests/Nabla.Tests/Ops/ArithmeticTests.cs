namespace Nabla.Tests.Ops;

public class ArithmeticTests
{
    [Fact]
    public void Broadcasting_follows_numpy_rules()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var b = Tensor.FromArray([10f, 20f, 30f], 3);
        var c = Tensor.FromArray([100f, 200f], 2, 1);
        Assert.Equal([11f, 22f, 33f, 14f, 25f, 36f], (a + b).ToArray<float>());
        Assert.Equal([101f, 102f, 103f, 204f, 205f, 206f], (a + c).ToArray<float>());
        Assert.Equal([-9f, -18f, -27f, -6f, -15f, -24f], (a - b).ToArray<float>());
        Assert.Equal([10f, 40f, 90f, 40f, 100f, 180f], (a * b).ToArray<float>());
        Assert.Equal([0.5f, 1f, 1.5f, 2f, 2.5f, 3f], (a / 2).ToArray<float>());
        Assert.Equal([1f, 0.5f], (1.0 / Tensor.FromArray([1f, 2f])).ToArray<float>());
        TestUtil.AssertShape(b + c, 2, 3);
    }

    [Fact]
    public void Incompatible_shapes_name_the_op_and_shapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("Add", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4]", e.Message);
    }

    [Fact]
    public void Mixed_dtypes_are_a_typed_error()
    {
        var e = Assert.Throws<DTypeMismatchException>(() => Tensor.Zeros([2]) * Tensor.Zeros([2], DType.Float64));
        Assert.Contains("float32", e.Message);
        Assert.Contains("float64", e.Message);
    }

    [Fact]
    public void Works_on_transposed_views()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        // aᵀ = [[1,4],[2,5],[3,6]]
        Assert.Equal([2f, 8f, 4f, 10f, 6f, 12f], (a.T + a.T).ToArray<float>());
    }

    public static TheoryData<string, int[], int[]> BinaryCases => new()
    {
        { "add", [3, 4], [3, 4] }, { "add", [3, 4], [4] }, { "add", [2, 1, 3], [4, 1] },
        { "sub", [3, 4], [3, 1] }, { "sub", [5], [] },
        { "mul", [3, 4], [3, 4] }, { "mul", [2, 3, 4], [3, 1] },
        { "div", [3, 4], [4] }, { "div", [2, 3], [2, 3] },
    };

    [Theory, MemberData(nameof(BinaryCases))]
    public void Binary_ops_gradcheck(string op, int[] sa, int[] sb)
    {
        var a = TestUtil.RandD(1, sa);
        var b = op == "div" ? TestUtil.UniformD(2, 0.5, 2.0, sb) : TestUtil.RandD(2, sb);
        Func<Tensor[], Tensor> f = op switch
        {
            "add" => t => t[0] + t[1],
            "sub" => t => t[0] - t[1],
            "mul" => t => t[0] * t[1],
            _ => t => t[0] / t[1],
        };
        TestUtil.AssertGrad(f, a, b);
    }

    [Fact]
    public void Scalar_operand_and_negation_gradcheck()
    {
        TestUtil.AssertGrad(t => -(2.0 - t[0] * 3.0) / 4.0, TestUtil.RandD(4, 2, 3));
    }
}
