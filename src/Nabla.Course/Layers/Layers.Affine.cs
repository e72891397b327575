
namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>What <see cref="AffineBackward"/> reads: the input (original shape) and the weights.</summary>
    public sealed record AffineCache(Tensor X, Tensor W, Tensor B);

    /// <summary>
    /// Fully-connected layer: out = X̃·W + b, where X̃ [N, D] is x [N, d1, …, dk] with each example flattened
    /// (D = d1·…·dk), W [D, M], b [M] → out [N, M]. Per example this is the seed's Y = WᵀX + b.
    /// </summary>
    public static (Tensor Out, AffineCache Cache) AffineForward(Tensor x, Tensor w, Tensor b)
    {
        const string op = "AffineForward";
        CheckFloat(op, ("x", x), ("w", w), ("b", b));
        if (x.Rank < 1) throw ShapeError(op, "x must have a batch dimension [N, d1, …]", nameof(x), ("x", x));
        if (w.Rank != 2) throw ShapeError(op, "w must be a matrix [D, M]", nameof(w), ("x", x), ("w", w));
        int n = x.Shape[0], d = 1, m = w.Shape[1];
        for (int i = 1; i < x.Rank; i++) d *= x.Shape[i];
        if (w.Shape[0] != d) throw ShapeError(op, $"w must have D = {d} rows (the product of x's non-batch dims)", nameof(w), ("x", x), ("w", w));
        if (b.Rank != 1 || b.Shape[0] != m) throw ShapeError(op, $"b must have shape [{m}] (w's column count)", nameof(b), ("w", w), ("b", b));
        using var _ = GradMode.NoGrad();
        var out_ = Dense(Dense(x).Reshape(n, d).MatMul(w));   // [N, M]
        var bs = Dense(b);
        if (IsF32(x)) AddRows(Data<float>(out_), Data<float>(bs), n, m);
        else AddRows(Data<double>(out_), Data<double>(bs), n, m);
        return (out_, new AffineCache(x, w, b));
    }

    /// <summary>
    /// Backward of <see cref="AffineForward"/> with G = ∂L/∂out [N, M]:
    /// ∂L/∂X̃ = G·Wᵀ (reshaped to x's shape), ∂L/∂W = X̃ᵀ·G, ∂L/∂b = Σ_n G[n, :]
    /// (per example: ∂L/∂X = W·∂L/∂Y, ∂L/∂W = X·(∂L/∂Y)ᵀ, ∂L/∂b = ∂L/∂Y).
    /// </summary>
    public static (Tensor Dx, Tensor Dw, Tensor Db) AffineBackward(Tensor dout, AffineCache cache)
    {
        const string op = "AffineBackward";
        var (x, w, b) = (cache.X, cache.W, cache.B);
        CheckFloat(op, ("dout", dout), ("x", x));
        int n = x.Shape[0], d = w.Shape[0], m = w.Shape[1];
        if (dout.Rank != 2 || dout.Shape[0] != n || dout.Shape[1] != m)
            throw ShapeError(op, $"dout must have shape [{n}, {m}] (the forward output's)", nameof(dout), ("dout", dout), ("x", x), ("w", w));
        using var _ = GradMode.NoGrad();
        var g = Dense(dout);
        var dx = Dense(g.MatMul(w.T)).Reshape(x.Shape.ToArray());   // [N, D] → x's shape
        var dw = Dense(Dense(x).Reshape(n, d).T.MatMul(g));          // [D, M]
        var db = Tensor.Empty([m], x.DType);
        if (IsF32(x)) SumRows(Data<float>(g), Data<float>(db), n, m);
        else SumRows(Data<double>(g), Data<double>(db), n, m);
        return (dx, dw, db);
    }

    /// <summary>y[i, j] += b[j] for a row-major [n, m] block.</summary>
    private static void AddRows<T>(Span<T> y, Span<T> b, int n, int m) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            var row = y.Slice(i * m, m);
            for (int j = 0; j < m; j++) row[j] += b[j];
        }
    }

    /// <summary>s[j] = Σ_i g[i, j] (double accumulators).</summary>
    private static void SumRows<T>(Span<T> g, Span<T> s, int n, int m) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var acc = new double[m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) acc[j] += D(g[i * m + j]);
        for (int j = 0; j < m; j++) s[j] = Cast<T>(acc[j]);
    }
}
