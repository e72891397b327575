using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// Plumbing shared by the recurrent ops: argument checks, the two gate GEMMs of a cell
/// (Z = X·W_ihᵀ + b_ih + H·W_hhᵀ + b_hh, [N, G·H]), and the addressing of sequence buffers in either layout.
/// </summary>
internal static class RecurrentCore
{
    /// <summary>Checks a cell's operands (x [N, I], h [N, H], c [N, H], W_ih [G·H, I], W_hh [G·H, H], b [G·H]) and returns H.</summary>
    public static int CheckCell(string op, int gateCount, Tensor input, Tensor hx, Tensor? cx, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        Dispatch.Floating(op, input);
        foreach (var t in new[] { hx, cx, weightIh, weightHh, biasIh, biasHh })
            if (t is not null) Dispatch.SameDType(op, input, t);
        if (weightHh.Rank != 2 || weightHh.Size(0) != gateCount * weightHh.Size(1))
            throw ShapeMismatchException.For(op, $"weight_hh must be [{gateCount}·hidden, hidden]", weightHh.Shape.ToArray());
        int h = weightHh.Size(1), g = gateCount * h;
        if (input.Rank != 2 || weightIh.Rank != 2 || weightIh.Size(0) != g || weightIh.Size(1) != input.Size(1))
            throw ShapeMismatchException.For(op, $"input must be [N, in] and weight_ih [{gateCount}·hidden, in]", input.Shape.ToArray(), weightIh.Shape.ToArray());
        CheckState(op, "hx", hx, input.Size(0), h);
        if (cx is not null) CheckState(op, "cx", cx, input.Size(0), h);
        CheckBias(op, biasIh, g);
        CheckBias(op, biasHh, g);
        return h;
    }

    public static void CheckState(string op, string name, Tensor s, int n, int h)
    {
        if (s.Rank != 2 || s.Size(0) != n || s.Size(1) != h)
            throw ShapeMismatchException.For(op, $"{name} must be [batch {n}, hidden {h}]", s.Shape.ToArray());
    }

    public static void CheckBias(string op, Tensor? b, int g)
    {
        if (b is not null && (b.Rank != 1 || b.Size(0) != g))
            throw ShapeMismatchException.For(op, $"biases must be [{g}]", b.Shape.ToArray());
    }

    /// <summary>The storage of a contiguous version of <paramref name="t"/> and the element offset where it starts.</summary>
    public static (T[] Data, int Offset) Raw<T>(Tensor t)
    {
        var c = t.ContiguousRaw();
        return (c.Storage<T>(), c.Offset);
    }

    /// <summary>dst [N, G] = rows of (b₁ + b₂) (each may be null) then += X·Wᵀ with X [N, K] at xOff, W [G, K].</summary>
    public static void Project<T>(Tensor x, Tensor w, Tensor? b1, Tensor? b2, T[] dst, int dstOff, int n, double beta)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        int g = w.Size(0), k = w.Size(1);
        var ds = dst.AsSpan(dstOff, n * g);
        if (b1 is not null || b2 is not null)
        {
            var row = new T[g];
            if (b1 is not null) b1.ContiguousRaw().AsSpan<T>().CopyTo(row);
            if (b2 is not null) System.Numerics.Tensors.TensorPrimitives.Add(row, b2.ContiguousRaw().AsSpan<T>(), row);
            for (int i = 0; i < n; i++)
                if (beta == 0) row.CopyTo(ds.Slice(i * g, g));
                else System.Numerics.Tensors.TensorPrimitives.Add(ds.Slice(i * g, g), row, ds.Slice(i * g, g));
            beta = 1;
        }
        var (xa, xo) = Raw<T>(x);
        var (wa, wo) = Raw<T>(w);
        RecurrentGemm.Run(false, true, n, g, k, xa, xo, k, wa, wo, k, beta, dst, dstOff, g);
    }
}

/// <summary>
/// Where step t of batch row n sits in a [N, T, W] (batch-first) or [T, N, W] (time-major) buffer: the rows of one
/// step form a matrix that starts at <see cref="Step"/> with leading dimension <see cref="Ld"/>.
/// </summary>
internal readonly record struct SeqLayout(int Steps, int Batch, int Width, bool BatchFirst)
{
    public int Step(int t) => BatchFirst ? t * Width : t * Batch * Width;

    public int Ld => BatchFirst ? Steps * Width : Width;

    public int Row(int t, int n) => Step(t) + n * Ld;
}
