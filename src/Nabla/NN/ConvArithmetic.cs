namespace Nabla.NN;

/// <summary>
/// Output size of a convolution or pooling window along one axis, and the inverse problems ("which padding keeps
/// 32 at kernel 5?"). With input i, kernel k, stride s, padding p on each side and dilation d (PyTorch's formula):
/// <c>o = ⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1</c>, defined when the dilated window e = d·(k − 1) + 1 fits the padded
/// input (i + 2p ≥ e).
/// </summary>
/// <remarks>
/// Solving: o is monotone in each quantity (non-decreasing in i and p, non-increasing in k, s and d), so the values
/// giving a wanted o form one integer interval, found in closed form from
/// <c>(o − 1)·s ≤ i + 2p − e ≤ o·s − 1</c>. The interval may be empty (no integer solution: e.g. an even kernel at
/// stride 1 needs an odd total padding to keep the size, so no symmetric p exists) or unbounded (o = 1 holds for
/// every stride larger than the span).
/// </remarks>
public static class ConvArithmetic
{
    /// <summary>The quantities of the formula, for <see cref="Solve"/>.</summary>
    public enum Quantity
    {
        /// <summary>Input size i along the axis.</summary>
        Input,
        /// <summary>Kernel size k.</summary>
        Kernel,
        /// <summary>Stride s.</summary>
        Stride,
        /// <summary>Padding p on each side.</summary>
        Padding,
        /// <summary>Dilation d.</summary>
        Dilation,
        /// <summary>Output size o.</summary>
        Output,
    }

    /// <summary>⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1; throws when the window does not fit or a size is invalid.</summary>
    public static int OutputSize(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1)
    {
        Check(input, kernel, stride, padding, dilation, null);
        int span = input + 2 * padding - Extent(kernel, dilation);
        if (span < 0)
            throw new ArgumentException($"ConvArithmetic: the window (kernel {kernel}, dilation {dilation}: extent {Extent(kernel, dilation)}) " +
                                        $"does not fit the padded input ({input} + 2·{padding} = {input + 2 * padding})");
        return span / stride + 1;
    }

    /// <summary>Output size of a transposed convolution (PyTorch's ConvTranspose formula):
    /// (i − 1)·s − 2p + d·(k − 1) + outputPadding + 1.</summary>
    public static int TransposedOutputSize(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1, int outputPadding = 0)
    {
        Check(input, kernel, stride, padding, dilation, null);
        if (outputPadding < 0 || outputPadding >= Math.Max(stride, dilation))
            throw new ArgumentException($"ConvArithmetic: output padding must lie in 0..max(stride, dilation) − 1, got {outputPadding}");
        int o = (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
        if (o < 1) throw new ArgumentException($"ConvArithmetic: transposed output size would be {o}");
        return o;
    }

    /// <summary>The dilated kernel extent d·(k − 1) + 1.</summary>
    public static int Extent(int kernel, int dilation) => dilation * (kernel - 1) + 1;

    /// <summary>
    /// Solves for the one quantity passed as null (the others must be given; output may be the unknown, which just
    /// computes it). Returns every integer value that gives the wanted output: an interval, possibly empty or
    /// unbounded above. Padding is per side (symmetric); when no symmetric padding exists the result says which
    /// total (asymmetric) padding would.
    /// </summary>
    public static ConvSolution Solve(int? input, int? kernel, int? stride, int? padding, int? dilation, int? output)
    {
        var unknowns = new List<Quantity>();
        if (input is null) unknowns.Add(Quantity.Input);
        if (kernel is null) unknowns.Add(Quantity.Kernel);
        if (stride is null) unknowns.Add(Quantity.Stride);
        if (padding is null) unknowns.Add(Quantity.Padding);
        if (dilation is null) unknowns.Add(Quantity.Dilation);
        if (output is null) unknowns.Add(Quantity.Output);
        if (unknowns.Count != 1)
            throw new ArgumentException($"ConvArithmetic.Solve: exactly one quantity must be unknown, got {unknowns.Count} ({string.Join(", ", unknowns)})");
        var q = unknowns[0];
        Check(input ?? 1, kernel ?? 1, stride ?? 1, padding ?? 0, dilation ?? 1, output);
        if (q == Quantity.Output)
        {
            int span = input!.Value + 2 * padding!.Value - Extent(kernel!.Value, dilation!.Value);
            return span < 0 ? ConvSolution.None(q, $"the window (extent {Extent(kernel.Value, dilation.Value)}) does not fit the padded input ({input + 2 * padding})")
                            : ConvSolution.Range(q, span / stride!.Value + 1, span / stride.Value + 1);
        }
        int o = output!.Value;
        switch (q)
        {
            case Quantity.Input:
            {
                // (o − 1)·s ≤ i + 2p − e ≤ o·s − 1
                int s = stride!.Value, e = Extent(kernel!.Value, dilation!.Value), p = padding!.Value;
                return Clip(q, (long)(o - 1) * s - 2 * p + e, (long)o * s - 1 - 2 * p + e, 1);
            }
            case Quantity.Padding:
            {
                int s = stride!.Value, e = Extent(kernel!.Value, dilation!.Value), i = input!.Value;
                long lo2 = (long)(o - 1) * s - i + e, hi2 = (long)o * s - 1 - i + e;   // bounds on the total padding 2p
                var sol = Clip(q, CeilDiv(lo2, 2), FloorDiv(hi2, 2), 0);
                if (!sol.IsEmpty) return sol;
                long tLo = Math.Max(lo2, 0);
                string why = hi2 < 0
                    ? $"even without padding the output is larger than {o} (the input would have to shrink)"
                    : $"no symmetric padding gives {o}; a total padding of {tLo}{(hi2 > tLo ? $"..{hi2}" : "")} would " +
                      $"(asymmetric, e.g. {tLo / 2} before and {tLo - tLo / 2} after, as PyTorch's padding='same' does)";
                return ConvSolution.None(q, why);
            }
            case Quantity.Kernel:
            {
                // e ∈ [i + 2p − o·s + 1, i + 2p − (o − 1)·s] and e = d·(k − 1) + 1
                int s = stride!.Value, d = dilation!.Value;
                long w = input!.Value + 2L * padding!.Value;
                long eLo = w - (long)o * s + 1, eHi = w - (long)(o - 1) * s;
                return Clip(q, CeilDiv(eLo - 1, d) + 1, FloorDiv(eHi - 1, d) + 1, 1);
            }
            case Quantity.Dilation:
            {
                int s = stride!.Value, k = kernel!.Value;
                long w = input!.Value + 2L * padding!.Value;
                long eLo = w - (long)o * s + 1, eHi = w - (long)(o - 1) * s;
                if (k == 1)   // a 1-wide kernel ignores the dilation: every d works or none does
                    return eLo <= 1 && 1 <= eHi ? ConvSolution.From(q, 1, "a kernel of size 1 does not depend on the dilation")
                                                : ConvSolution.None(q, $"kernel 1 gives output {(w - 1) / s + 1} whatever the dilation");
                return Clip(q, CeilDiv(eLo - 1, k - 1), FloorDiv(eHi - 1, k - 1), 1);
            }
            case Quantity.Stride:
            {
                long span = input!.Value + 2L * padding!.Value - Extent(kernel!.Value, dilation!.Value);
                if (span < 0) return ConvSolution.None(q, $"the window does not fit the padded input ({input + 2 * padding})");
                // ⌊span / s⌋ = o − 1  ⇔  span / o < s ≤ span / (o − 1)
                if (o == 1) return ConvSolution.From(q, span + 1, $"any stride above the span {span} gives a single output");
                return Clip(q, span / o + 1, span / (o - 1), 1);
            }
            default: throw new InvalidOperationException(q.ToString());
        }
    }

    private static ConvSolution Clip(Quantity q, long lo, long hi, long min)
    {
        lo = Math.Max(lo, min);
        if (lo > hi || lo > int.MaxValue) return ConvSolution.None(q, $"no integer {q.ToString().ToLowerInvariant()} gives that output");
        return ConvSolution.Range(q, (int)lo, (int)Math.Min(hi, int.MaxValue));
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    private static void Check(int input, int kernel, int stride, int padding, int dilation, int? output)
    {
        if (input < 1) throw new ArgumentException($"ConvArithmetic: input size must be at least 1, got {input}");
        if (kernel < 1) throw new ArgumentException($"ConvArithmetic: kernel size must be at least 1, got {kernel}");
        if (stride < 1) throw new ArgumentException($"ConvArithmetic: stride must be at least 1, got {stride}");
        if (dilation < 1) throw new ArgumentException($"ConvArithmetic: dilation must be at least 1, got {dilation}");
        if (padding < 0) throw new ArgumentException($"ConvArithmetic: padding must be non-negative, got {padding}");
        if (output is < 1) throw new ArgumentException($"ConvArithmetic: output size must be at least 1, got {output}");
    }
}

/// <summary>The values of <see cref="Quantity"/> that solve a <see cref="ConvArithmetic.Solve"/> problem: the
/// integers Min..Max (Max null = unbounded), or none, with a reason when there is something to explain.</summary>
public sealed record ConvSolution(ConvArithmetic.Quantity Quantity, int? Min, int? Max, bool IsEmpty, string? Note)
{
    internal static ConvSolution Range(ConvArithmetic.Quantity q, int min, int max) => new(q, min, max, false, null);

    internal static ConvSolution From(ConvArithmetic.Quantity q, long min, string note) =>
        new(q, (int)Math.Min(min, int.MaxValue), null, false, note);

    internal static ConvSolution None(ConvArithmetic.Quantity q, string why) => new(q, null, null, true, why);

    /// <summary>True when exactly one value solves the problem.</summary>
    public bool IsUnique => !IsEmpty && Max == Min;

    /// <summary>The solving values up to <paramref name="limit"/> of them (all of a bounded interval by default).</summary>
    public IEnumerable<int> Values(int limit = int.MaxValue)
    {
        if (IsEmpty) yield break;
        int count = 0;
        for (long v = Min!.Value; (Max is null || v <= Max.Value) && count < limit; v++, count++) yield return (int)v;
    }

    /// <summary>"padding = 2", "stride ∈ 1..3", "kernel ≥ 5 (note)" or "no integer padding: reason".</summary>
    public override string ToString()
    {
        string name = Quantity.ToString().ToLowerInvariant();
        if (IsEmpty) return $"no integer {name}: {Note}";
        string values = Max is null ? $"{name} ≥ {Min}" : Min == Max ? $"{name} = {Min}" : $"{name} ∈ {Min}..{Max}";
        return Note is null ? values : $"{values} ({Note})";
    }
}
