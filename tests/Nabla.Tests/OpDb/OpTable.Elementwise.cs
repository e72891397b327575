namespace Nabla.Tests.OpDb;

public static partial class OpTable
{
    private static readonly Arg Any = Arg.F();

    private static IEnumerable<OpInfo> Elementwise() =>
    [
        Binary("a + b", (a, b) => a + b, (a, b) => a + b, Any, Any, "op_Addition"),
        Binary("a.Add(b)", (a, b) => a.Add(b), (a, b) => a + b, Any, Any, "Add"),
        Binary("a - b", (a, b) => a - b, (a, b) => a - b, Any, Any, "op_Subtraction"),
        Binary("a.Sub(b)", (a, b) => a.Sub(b), (a, b) => a - b, Any, Any, "Sub"),
        Binary("a * b", (a, b) => a * b, (a, b) => a * b, Any, Any, "op_Multiply"),
        Binary("a.Mul(b)", (a, b) => a.Mul(b), (a, b) => a * b, Any, Any, "Mul"),
        Binary("a / b", (a, b) => a / b, (a, b) => a / b, Any, Any.In(0.5, 2), "op_Division"),
        Binary("a.Div(b)", (a, b) => a.Div(b), (a, b) => a / b, Any, Any.In(-2, -0.5), "Div"),
        Binary("Maximum", TensorOps.Maximum, Math.Max, Any, Any.Away(-1, 0, 1), "Maximum"),
        Binary("Minimum", TensorOps.Minimum, Math.Min, Any, Any.Away(-1, 0, 1), "Minimum"),
        Binary("a.Pow(b)", (a, b) => a.Pow(b), Math.Pow, Any.In(0.5, 2), Any, "Pow"),
        Unary("x + 2.5, 2.5 + x, x.Add(2.5)", x => (x + 2.5) * (2.5 + x) + x.Add(2.5), x => (x + 2.5) * (2.5 + x) + x + 2.5, Any, "op_Addition", "Add"),
        Unary("x − 1.5, 1.5 − x, x.Sub(1.5)", x => (x - 1.5) * (1.5 - x) + x.Sub(1.5), x => (x - 1.5) * (1.5 - x) + x - 1.5, Any, "op_Subtraction", "Sub"),
        Unary("x · 3, 3 · x, x.Mul(3)", x => x * 3.0 + 3.0 * x * x + x.Mul(-3), x => 3 * x + 3 * x * x - 3 * x + 0 * x, Any, "op_Multiply", "Mul"),
        Unary("x / 4, 2 / x, x.Div(4)", x => x / 4.0 + 2.0 / x + x.Div(-4), x => x / 4 + 2 / x - x / 4, Any.In(0.5, 2), "op_Division", "Div"),
        Unary("−x", x => -x, x => -x, Any, "op_UnaryNegation"),
        Unary("x.Pow(2.5)", x => x.Pow(2.5), x => Math.Pow(x, 2.5), Any.In(0.3, 2), "Pow"),
        Unary("x.Pow(−1.5)", x => x.Pow(-1.5), x => Math.Pow(x, -1.5), Any.In(0.3, 2), "Pow"),
        Unary("Abs", x => x.Abs(), Math.Abs, Any.Away(0)),
        Unary("Relu", x => x.Relu(), x => Math.Max(x, 0), Any.Away(0)),
        Unary("LeakyRelu(0.2)", x => x.LeakyRelu(0.2), x => x > 0 ? x : 0.2 * x, Any.Away(0), "LeakyRelu"),
        Unary("Elu(0.7)", x => x.Elu(0.7), x => x > 0 ? x : 0.7 * (Math.Exp(x) - 1), Any.Away(0), "Elu"),
        Unary("Sigmoid", x => x.Sigmoid(), Ref.Sigmoid, Any),
        Unary("Tanh", x => x.Tanh(), Math.Tanh, Any),
        Unary("Exp", x => x.Exp(), Math.Exp, Any),
        Unary("Log", x => x.Log(), Math.Log, Any.In(0.2, 3)),
        Unary("Sqrt", x => x.Sqrt(), Math.Sqrt, Any.In(0.2, 3)),
        Unary("Reciprocal", x => x.Reciprocal(), x => 1 / x, Any.In(0.5, 2)),
        Unary("Square", x => x.Square(), x => x * x, Any),
        Unary("Sin", x => x.Sin(), Math.Sin, Any),
        Unary("Cos", x => x.Cos(), Math.Cos, Any),
        Unary("Erf", x => x.Erf(), Ref.Erf, Any) with { Rtol = 1e-9, Atol = 1e-12 },
        Unary("Gelu", x => x.Gelu(), x => 0.5 * x * (1 + Ref.Erf(x / Math.Sqrt(2))), Any, "Gelu") with { Rtol = 1e-9, Atol = 1e-12 },
        Unary("Gelu(tanh)", x => x.Gelu(GeluApproximation.Tanh), x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), Any, "Gelu"),
        Unary("Softplus(2, 3)", x => x.Softplus(2, 3), x => 2 * x > 3 ? x : Math.Log(1 + Math.Exp(2 * x)) / 2, Any.Away(1.5), "Softplus"),
        Unary("Clamp(−0.5, 0.8)", x => x.Clamp(-0.5, 0.8), x => Math.Min(Math.Max(x, -0.5), 0.8), Any.Away(-0.5, 0.8), "Clamp"),
        Unary("Clamp(min 0.3)", x => x.Clamp(min: 0.3), x => Math.Max(x, 0.3), Any.Away(0.3), "Clamp"),
        Unary("Clone", x => x.Clone(), x => x, Any),
        Unary("To(own dtype)", x => x.To(x.DType), x => x, Any, "To"),
        Row("Where(c, a, b)", ["Where"],
        [
            new("broadcast c [3, 1], a [3, 4], b [4]", Arg.Labels(2, 3, 1), Arg.F(3, 4), Arg.F(4)),
            new("transposed a, expanded b", Arg.Labels(2, 3, 4), Arg.F(3, 4).T, Arg.F(3, 4).E),
        ], x => TensorOps.Where(x[0], x[1], x[2]), x => Nd.Zip3(x[0], x[1], x[2], (c, a, b) => c != 0 ? a : b)),
        Row("Where(c, a, 0.5) · Where(c, −1, b)", ["Where"],
        [
            new("[3, 4]", Arg.Labels(2, 3, 4), Arg.F(3, 4), Arg.F(3, 4)),
        ], x => TensorOps.Where(x[0], x[1], 0.5) * TensorOps.Where(x[0], -1.0, x[2]),
           x => Nd.Zip3(x[0], x[1], x[2], (c, a, b) => (c != 0 ? a : 0.5) * (c != 0 ? -1 : b))),
        Row("Dropout(mask, 0.25)", ["Dropout"],
        [
            new("[3, 4] with a 0/1 mask", Arg.F(3, 4), new Arg([3, 4], IntHigh: 2, Grad: false)),
            new("transposed input", Arg.F(4, 3).T, new Arg([4, 3], IntHigh: 2, Grad: false)),
        ], x => x[0].Dropout(x[1].To(x[0].DType), 0.25), x => Nd.Zip(x[0], x[1], (a, m) => a * m / 0.75)),
    ];
}
