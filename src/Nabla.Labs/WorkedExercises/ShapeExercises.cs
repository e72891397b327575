using Nabla.NN;
using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>IFT6135 Q7 (output size and parameter count of a three-layer CNN) and Q8 (kernel, stride, padding,
/// dilation for given shapes). The seed counts dilation from 0 (d = 0: none); the library from 1 (d = 1: none), so the
/// seed's d is the library's d + 1. Library answers come from <see cref="ConvArithmetic"/> (and, for Q7, from running
/// the layers); the by-hand answers from the formula o = ⌊(i + 2p − d_lib(k − 1) − 1)/s⌋ + 1 by brute force.</summary>
public static class ShapeExercises
{
    public static Exercise IftQ7()
    {
        var net = new Module[] { new Conv2d(3, 64, 8, stride: 2, bias: false), new MaxPool2d(5), new Conv2d(64, 128, 4, padding: 1, bias: false) };
        Tensor y = Tensor.Zeros(1, 3, 256, 256);
        using (GradMode.NoGrad()) foreach (var m in net) y = m.Forward(y);
        var h = new Hand();
        double o1 = h.Let("conv 8×8, stride 2, p 0", "⌊(256 − 8)/2⌋ + 1", (256 - 8) / 2 + 1);
        double o2 = h.Let("max pool 5×5, non-overlapping (stride 5)", $"⌊({o1} − 5)/5⌋ + 1", Math.Floor((o1 - 5) / 5) + 1);
        double o3 = h.Let("conv 4×4, stride 1, p 1", $"({o2} + 2·1 − 4)/1 + 1", o2 + 2 - 4 + 1);
        double dim = h.Let("output dimensionality", $"{o3}·{o3}·128", o3 * o3 * 128);
        double pars = h.Let("last layer's weights (no biases)", "128 kernels · 64 channels · 4 · 4", 128 * 64 * 4 * 4);
        var last = (Conv2d)net[2];
        return new Exercise("IFT6135 Q7.1–7.2", [
            new Answer("output shape (C, H, W)", [.. y.Shape[1..].ToArray().Select(v => (double)v)], [128, o3, o3], [3]),
            Worked.Of("Q7.1 output dimensionality", y.Numel, dim),
            Worked.Of("Q7.2 parameters of the last layer", last.Weight.Numel, pars)], h.Steps);
    }

    /// <summary>o by the formula (library dilation d ≥ 1); −1 when the window does not fit.</summary>
    public static int Out(int i, int k, int s, int p, int d)
    {
        int span = i + 2 * p - d * (k - 1) - 1;
        return span < 0 ? -1 : span / s + 1;
    }

    /// <summary>All values of the unknown in [lo, hi] that give output o, by brute force.</summary>
    public static double[] Brute(int lo, int hi, Func<int, int> output, int o) => Enumerable.Range(lo, hi - lo + 1).Where(v => output(v) == o).Select(v => (double)v).ToArray();

    private static double[] Lib(ConvSolution sol, int cap) => sol.IsEmpty ? [] : sol.Values().TakeWhile(v => v <= cap).Select(v => (double)v).ToArray();

    public static Exercise IftQ8()
    {
        var h = new Hand();
        var a = new List<Answer>();
        const int padCap = 20, kernelCap = 16;
        // 1(a): 3×64×64 → 64×32×32, k = 8, no dilation: s and p.
        for (int s = 1; s <= 3; s++)
        {
            var lib = Lib(ConvArithmetic.Solve(64, 8, s, null, 1, 32), padCap);
            var hand = Brute(0, padCap, p => Out(64, 8, s, p, 1), 32);
            a.Add(new Answer($"1(a) k = 8, d = 0 (library d = 1), s = {s}: padding p", lib, hand, [lib.Length]));
        }
        h.Let("1(a) s = 2: ⌊(64 + 2p − 8)/2⌋ + 1 = 32", "⇔ 62 ≤ 56 + 2p ≤ 63 ⇔ p = 3", 3);
        // 1(b): d = 6, s = 2: k and p. Seed d = 6 is library dilation 7; the misreading (library d = 6) is shown beside it.
        foreach (int dLib in new[] { 7, 6 })
            for (int k = 2; k <= 4; k++)
            {
                var lib = Lib(ConvArithmetic.Solve(64, k, 2, null, dLib, 32), padCap);
                var hand = Brute(0, padCap, p => Out(64, k, 2, p, dLib), 32);
                a.Add(new Answer($"1(b) d = 6 read as library d = {dLib}{(dLib == 7 ? " (seed convention)" : " (d taken literally)")}, s = 2, k = {k}: p", lib, hand, [lib.Length]));
            }
        h.Let("1(b) seed d = 6 ⇒ gaps of 6 ⇒ extent 7(k − 1) + 1; k = 2: ⌊(64 + 2p − 8)/2⌋ + 1 = 32", "⇔ p = 3", 3);
        // 2(a): 64×32×32 → 64×8×8, non-overlapping pooling (k = s), p = 0.
        var libK = Enumerable.Range(1, 32).Where(k => ConvArithmetic.OutputSize(32, k, k) == 8).Select(k => (double)k).ToArray();
        a.Add(new Answer("2(a) non-overlapping pooling 32 → 8: k = s", libK, Brute(1, 32, k => Out(32, k, k, 0, 1), 8), [libK.Length]));
        h.Let("2(a) ⌊(32 − k)/k⌋ + 1 = ⌊32/k⌋ = 8", "⇒ k = s = 4", 4);
        // 2(b): k = 8, s = 4 instead.
        a.Add(Worked.Of("2(b) k = 8, s = 4: output size (shape 64 × o × o)", ConvArithmetic.OutputSize(32, 8, 4), h.Let("2(b) o", "⌊(32 − 8)/4⌋ + 1", (32 - 8) / 4 + 1)));
        // 3: 64×8×8 → 128×4×4 (128 kernels of depth 64).
        foreach (var (label, p, dLib) in new[] { ("3(a) p = 0, d = 0 (library 1)", 0, 1), ("3(b) d = 1 (library 2, seed convention), p = 2", 2, 2),
                     ("3(b) d = 1 taken literally (library 1), p = 2", 2, 1), ("3(c) p = 1, d = 0 (library 1)", 1, 1) })
            for (int s = 1; s <= 3; s++)
            {
                var lib = Lib(ConvArithmetic.Solve(8, null, s, p, dLib, 4), kernelCap);
                var hand = Brute(1, kernelCap, k => Out(8, k, s, p, dLib), 4);
                a.Add(new Answer($"{label}, s = {s}: kernel k", lib, hand, [lib.Length]));
            }
        h.Let("3(a) s = 1: 8 − k + 1 = 4", "⇒ k = 5", 5);
        h.Let("3(b) s = 1, extent 2(k − 1) + 1: 8 + 4 − 2(k − 1) − 1 + 1 = 4", "⇒ 2(k − 1) = 8 ⇒ k = 5", 5);
        h.Let("3(c) s = 1: 8 + 2 − k + 1 = 4", "⇒ k = 7", 7);
        return new Exercise("IFT6135 Q8", a, h.Steps);
    }
}
