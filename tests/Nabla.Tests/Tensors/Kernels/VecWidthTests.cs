using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>The one vector abstraction (<see cref="IVec{TSelf, T}"/>): the width dispatch, and every generic kernel
/// body outside SimdUnary/SimdBinary (those are swept in <see cref="SimdKernelTests"/>) at each width this machine
/// runs — forced through the width parameter — against its scalar twin, float and double, on lengths that leave
/// every kind of tail (1, 7, 17, 33, 1000 and the edges of each width).</summary>
public class VecWidthTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 50, 63, 64, 65, 1000];

    private static T[] Rand<T>(Random r, int n, double scale) where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, n).Select(_ => T.CreateTruncating((r.NextDouble() * 2 - 1) * scale)).ToArray();

    private static void Close<T>(T[] expected, T[] actual, double tol, string what) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(double.CreateTruncating(expected[i] - actual[i])) <= tol,
                $"{what}, element {i} of {expected.Length}: scalar {expected[i]} vs vector {actual[i]}");
    }

    [Fact]
    public void Best_width_is_the_widest_the_hardware_runs_and_scalar_always_runs()
    {
        var expected = Vector512.IsHardwareAccelerated ? VecWidth.V512
            : Vector256.IsHardwareAccelerated ? VecWidth.V256
            : Vector128.IsHardwareAccelerated ? VecWidth.V128 : VecWidth.Scalar;
        Assert.Equal(expected, Vec.Best<float>());
        Assert.Equal(expected, Vec.Best<double>());
        Assert.Equal(expected, Vec.Supported<float>().First());
        Assert.Equal(VecWidth.Scalar, Vec.Supported<float>().Last());
        Assert.Equal(16, V512<float>.Count);
        Assert.Equal(4, V256<double>.Count);
        Assert.Equal(4, V128<float>.Count);
    }

    [Fact]
    public void Vector_primitives_agree_with_scalar_math_lane_by_lane()
    {
        // A few lanes through each width's members: FMA, select on a comparison mask, NaN-propagating max, exp, log.
        Primitives<float, V128<float>>(); Primitives<double, V128<double>>();
        if (V256<float>.IsSupported) { Primitives<float, V256<float>>(); Primitives<double, V256<double>>(); }
        if (V512<float>.IsSupported) { Primitives<float, V512<float>>(); Primitives<double, V512<double>>(); }
    }

    private static void Primitives<T, TV>() where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        if (!TV.IsSupported) return;
        var r = new Random(TV.Count);
        T[] a = Rand<T>(r, TV.Count, 3), b = Rand<T>(r, TV.Count, 3), c = Rand<T>(r, TV.Count, 3);
        a[0] = T.NaN;
        var va = TV.Load(ref a[0], 0);
        var vb = TV.Load(ref b[0], 0);
        var vc = TV.Load(ref c[0], 0);
        var fma = TV.FusedMultiplyAdd(vb, vc, vb);
        var sel = TV.Select(TV.GreaterThan(vb, vc), vb, vc * T.CreateTruncating(2));
        var max = TV.Max(va, vb);
        var exp = TV.Exp(vc);
        var log = TV.Log(TV.Abs(vb) + TV.One);
        double tol = typeof(T) == typeof(float) ? 1e-6 : 1e-14;
        for (int l = 0; l < TV.Count; l++)
        {
            double bl = double.CreateTruncating(b[l]), cl = double.CreateTruncating(c[l]);
            Assert.Equal(T.FusedMultiplyAdd(b[l], c[l], b[l]), fma[l]);
            Assert.Equal(bl > cl ? b[l] : c[l] * T.CreateTruncating(2), sel[l]);
            Assert.Equal(l == 0 || T.IsNaN(max[l]), T.IsNaN(max[l]));
            if (l > 0) Assert.Equal(T.Max(a[l], b[l]), max[l]);
            Assert.True(Math.Abs(double.CreateTruncating(exp[l]) - Math.Exp(cl)) <= tol * Math.Exp(cl));
            Assert.True(Math.Abs(double.CreateTruncating(log[l]) - Math.Log(Math.Abs(bl) + 1)) <= tol * 2);
            Assert.Equal(T.CreateTruncating(l), TV.Indices[l]);
        }
    }

    private static void Lstm<T>(double tol) where T : IFloatingPointIeee754<T>
    {
        var r = new Random(11);
        foreach (int hs in Sizes)
        foreach (bool relu in new[] { false, true })
        foreach (bool sigmoidCandidate in new[] { false, true })
        {
            var z = Rand<T>(r, 4 * hs, 6);
            var cPrev = Rand<T>(r, hs, 2);
            var zRef = (T[])z.Clone();
            T[] hRef = new T[hs], cRef = new T[hs], aRef = new T[hs];
            LstmKernel.ForwardRowScalar<T>(zRef, cPrev, hRef, cRef, aRef, relu, sigmoidCandidate);
            var dh = Rand<T>(r, hs, 1);
            var dc = Rand<T>(r, hs, 1);
            T[] dzRef = new T[4 * hs], dcpRef = new T[hs];
            LstmKernel.BackwardRowScalar<T>(zRef, cPrev, aRef, dh, dc, dzRef, dcpRef, relu, sigmoidCandidate);
            foreach (var w in Vec.Supported<T>())
            {
                var zw = (T[])z.Clone();
                T[] h = new T[hs], c = new T[hs], a = new T[hs];
                LstmKernel.ForwardRowAt<T>(zw, cPrev, h, c, a, relu, sigmoidCandidate, w);
                string what = $"LSTM H={hs} relu={relu} σg={sigmoidCandidate} {w}";
                Close(zRef, zw, tol, what + " gates"); Close(hRef, h, tol, what + " h"); Close(cRef, c, tol, what + " c"); Close(aRef, a, tol, what + " act");
                T[] dz = new T[4 * hs], dcp = new T[hs];
                LstmKernel.BackwardRowAt<T>(zRef, cPrev, aRef, dh, dc, dz, dcp, relu, sigmoidCandidate, w);
                Close(dzRef, dz, tol, what + " dz"); Close(dcpRef, dcp, tol, what + " dc");
            }
        }
    }

    [Fact] public void Lstm_rows_match_the_scalar_twin_at_every_width_float32() => Lstm<float>(2e-6);
    [Fact] public void Lstm_rows_match_the_scalar_twin_at_every_width_float64() => Lstm<double>(1e-14);

    private static void Affine<T>() where T : IFloatingPointIeee754<T>
    {
        var r = new Random(5);
        T a = T.CreateTruncating(1.5), b = T.CreateTruncating(-0.25);
        foreach (int n in Sizes)
        {
            var x = Rand<T>(r, n, 4);
            var want = new T[n];
            AffineKernel.AffineScalar<T>(x, a, b, want);
            foreach (var w in Vec.Supported<T>())
            {
                var got = new T[n];
                AffineKernel.Affine<T>(x, a, b, got, w);
                Assert.Equal(want, got);   // x·a + b rounds the same way in every lane
            }
        }
    }

    [Fact] public void Affine_matches_the_scalar_twin_at_every_width() { Affine<float>(); Affine<double>(); }

    private static void Arg<T, TOp>(T[] src, int outer, int reduced, int inner, string what)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IArgReduceOperator
    {
        var (vRef, iRef) = (new T[outer * inner], new int[outer * inner]);
        ArgReduce.RunScalar<T, TOp>(src, outer, reduced, inner, vRef, iRef);
        foreach (var w in Vec.Supported<T>())
        {
            var (v, i) = (new T[outer * inner], new int[outer * inner]);
            ArgReduce.RunAt<T, TOp>(src, outer, reduced, inner, v, i, w);
            Assert.Equal(iRef, i);
            for (int k = 0; k < v.Length; k++)
                Assert.True(v[k] == vRef[k] || (T.IsNaN(v[k]) && T.IsNaN(vRef[k])), $"{what} {w}: value {k}");
        }
    }

    private static void ArgReduceAll<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new Random(9);
        foreach (int n in Sizes.Where(n => n > 0))
            foreach (bool ties in new[] { false, true })
            {
                // A row of n (inner = 1) with ties and NaNs, and n columns reduced over 3 rows (inner = n).
                var row = Enumerable.Range(0, n).Select(_ => T.CreateTruncating(ties ? r.Next(-3, 4) : r.NextDouble())).ToArray();
                if (n > 5) { row[n / 3] = T.NaN; row[n - 2] = T.NaN; }
                Arg<T, ArgMaxOperator>(row, 1, n, 1, $"argmax row n={n}");
                Arg<T, ArgMinOperator>(row, 1, n, 1, $"argmin row n={n}");
                var cols = Enumerable.Range(0, 3 * n).Select(_ => T.CreateTruncating(ties ? r.Next(-2, 3) : r.NextDouble())).ToArray();
                if (n > 3) cols[n + n - 2] = T.NaN;
                Arg<T, ArgMaxOperator>(cols, 1, 3, n, $"argmax columns n={n}");
                Arg<T, ArgMinOperator>(cols, 1, 3, n, $"argmin columns n={n}");
                Arg<T, ArgMaxOperator>(cols, 3, 1, n, $"argmax reduced=1 n={n}");
            }
    }

    [Fact] public void ArgReduce_matches_the_scalar_twin_at_every_width() { ArgReduceAll<float>(); ArgReduceAll<double>(); }
}
