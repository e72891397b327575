using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

internal static partial class ConvolutionWinograd
{
    /// <summary>
    /// F(4×4, 3×3) (Lavin and Gray, 2016, points 0, ±1, ±2, ∞): each 4×4 block of outputs from a 6×6 input patch with
    /// 36 multiplies per channel pair instead of 144 — 4× fewer than direct summation, 1.78× fewer than F(2×2, 3×3).
    /// </summary>
    /// <remarks>
    /// <code>
    ///   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
    ///   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
    ///   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
    /// </code>
    /// Unlike F(2×2, 3×3), the transforms multiply by up to 8 and divide by 6 and 24, so float32 results carry a few
    /// times the rounding error of direct summation (measured in <c>ConvolutionTests</c>); float64 stays at 1e-10.
    /// Each 2-D transform is a pass down the columns into a small scratch, then the same 1-D transform along its rows.
    /// </remarks>
    internal readonly struct F4 : IWinogradTile
    {
        public static int M => 4;
        public static int Alpha => 6;

        public static void WeightBlock<T, TV>(ref T taps, nint tapStride, ref T u, nint plane) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            // G down each column of the 3×3 kernel (the 6 × 3 product G g), then along each of its 6 rows
            TV g0 = Ld2<T, TV>(ref taps, 0), g1 = Ld2<T, TV>(ref taps, tapStride), g2 = Ld2<T, TV>(ref taps, 2 * tapStride);
            TV g3 = Ld2<T, TV>(ref taps, 3 * tapStride), g4 = Ld2<T, TV>(ref taps, 4 * tapStride), g5 = Ld2<T, TV>(ref taps, 5 * tapStride);
            TV g6 = Ld2<T, TV>(ref taps, 6 * tapStride), g7 = Ld2<T, TV>(ref taps, 7 * tapStride), g8 = Ld2<T, TV>(ref taps, 8 * tapStride);
            G<T, TV>(g0, g3, g6, out TV a0, out TV b0, out TV c0, out TV d0, out TV e0, out TV f0);
            G<T, TV>(g1, g4, g7, out TV a1, out TV b1, out TV c1, out TV d1, out TV e1, out TV f1);
            G<T, TV>(g2, g5, g8, out TV a2, out TV b2, out TV c2, out TV d2, out TV e2, out TV f2);
            Row<T, TV>(a0, a1, a2, ref u, 0, plane);
            Row<T, TV>(b0, b1, b2, ref u, 6 * plane, plane);
            Row<T, TV>(c0, c1, c2, ref u, 12 * plane, plane);
            Row<T, TV>(d0, d1, d2, ref u, 18 * plane, plane);
            Row<T, TV>(e0, e1, e2, ref u, 24 * plane, plane);
            Row<T, TV>(f0, f1, f2, ref u, 30 * plane, plane);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Row<T, TV>(TV x0, TV x1, TV x2, ref T u, nint at, nint plane) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            G<T, TV>(x0, x1, x2, out TV y0, out TV y1, out TV y2, out TV y3, out TV y4, out TV y5);
            St(y0, ref u, at); St(y1, ref u, at + plane); St(y2, ref u, at + 2 * plane);
            St(y3, ref u, at + 3 * plane); St(y4, ref u, at + 4 * plane); St(y5, ref u, at + 5 * plane);
        }

        public static void WeightGradientBlock<T, TV>(ref T m, nint plane, ref T taps, nint tapStride) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            // Gᵀ down each of the 6 columns of M (the 3 × 6 product Gᵀ M), then along each of its 3 rows
            var r0 = default(Six<TV>); var r1 = default(Six<TV>); var r2 = default(Six<TV>);
            for (int s = 0; s < 6; s++)
                Gt<T, TV>(Ld2<T, TV>(ref m, s * plane), Ld2<T, TV>(ref m, (6 + s) * plane), Ld2<T, TV>(ref m, (12 + s) * plane),
                    Ld2<T, TV>(ref m, (18 + s) * plane), Ld2<T, TV>(ref m, (24 + s) * plane), Ld2<T, TV>(ref m, (30 + s) * plane),
                    out r0[s], out r1[s], out r2[s]);
            Gt<T, TV>(r0[0], r0[1], r0[2], r0[3], r0[4], r0[5], out TV y0, out TV y1, out TV y2);
            St(y0, ref taps, 0); St(y1, ref taps, tapStride); St(y2, ref taps, 2 * tapStride);
            Gt<T, TV>(r1[0], r1[1], r1[2], r1[3], r1[4], r1[5], out y0, out y1, out y2);
            St(y0, ref taps, 3 * tapStride); St(y1, ref taps, 4 * tapStride); St(y2, ref taps, 5 * tapStride);
            Gt<T, TV>(r2[0], r2[1], r2[2], r2[3], r2[4], r2[5], out y0, out y1, out y2);
            St(y0, ref taps, 6 * tapStride); St(y1, ref taps, 7 * tapStride); St(y2, ref taps, 8 * tapStride);
        }

        /// <summary>Six vectors: one row of Gᵀ M.</summary>
        [InlineArray(6)]
        private struct Six<TV> { private TV _e; }

        public static void InputPatch<T, TV>(ref T xr, nint jh, ReadOnlySpan<int> rowAt, ReadOnlySpan<int> colAt, int wd, int cp, int c,
            ref T v, nint at, nint xiStride, ref T scratch) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            // Bᵀ d down each of the 6 columns into the scratch (6 × 6 vectors), then Bᵀ along each of its rows
            nint n = TV.Count;
            for (int q = 0; q < 6; q++)
            {
                int iw = colAt[q];
                Bt<T, TV>(Ld<T, TV>(ref xr, jh, rowAt[0], iw, wd, cp, c), Ld<T, TV>(ref xr, jh, rowAt[1], iw, wd, cp, c),
                    Ld<T, TV>(ref xr, jh, rowAt[2], iw, wd, cp, c), Ld<T, TV>(ref xr, jh, rowAt[3], iw, wd, cp, c),
                    Ld<T, TV>(ref xr, jh, rowAt[4], iw, wd, cp, c), Ld<T, TV>(ref xr, jh, rowAt[5], iw, wd, cp, c),
                    out TV e0, out TV e1, out TV e2, out TV e3, out TV e4, out TV e5);
                St(e0, ref scratch, (0 * 6 + q) * n); St(e1, ref scratch, (1 * 6 + q) * n); St(e2, ref scratch, (2 * 6 + q) * n);
                St(e3, ref scratch, (3 * 6 + q) * n); St(e4, ref scratch, (4 * 6 + q) * n); St(e5, ref scratch, (5 * 6 + q) * n);
            }
            for (int r = 0; r < 6; r++)
            {
                nint row = r * 6 * n;
                Bt<T, TV>(Ld2<T, TV>(ref scratch, row), Ld2<T, TV>(ref scratch, row + n), Ld2<T, TV>(ref scratch, row + 2 * n),
                    Ld2<T, TV>(ref scratch, row + 3 * n), Ld2<T, TV>(ref scratch, row + 4 * n), Ld2<T, TV>(ref scratch, row + 5 * n),
                    out TV y0, out TV y1, out TV y2, out TV y3, out TV y4, out TV y5);
                nint xi = 6 * r * xiStride + at;
                St(y0, ref v, xi); St(y1, ref v, xi + xiStride); St(y2, ref v, xi + 2 * xiStride);
                St(y3, ref v, xi + 3 * xiStride); St(y4, ref v, xi + 4 * xiStride); St(y5, ref v, xi + 5 * xiStride);
            }
        }

        public static void OutputBlock<T, TV>(ref T m, nint at, nint xiStride, ref T res, ref T scratch)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            // Aᵀ s down each of the 6 columns into the scratch (4 × 6 vectors), then Aᵀ along each of its rows
            nint n = TV.Count;
            for (int q = 0; q < 6; q++)
            {
                nint col = q * xiStride + at;
                At<T, TV>(Ld2<T, TV>(ref m, col), Ld2<T, TV>(ref m, col + 6 * xiStride), Ld2<T, TV>(ref m, col + 12 * xiStride),
                    Ld2<T, TV>(ref m, col + 18 * xiStride), Ld2<T, TV>(ref m, col + 24 * xiStride), Ld2<T, TV>(ref m, col + 30 * xiStride),
                    out TV s0, out TV s1, out TV s2, out TV s3);
                St(s0, ref scratch, (0 * 6 + q) * n); St(s1, ref scratch, (1 * 6 + q) * n); St(s2, ref scratch, (2 * 6 + q) * n); St(s3, ref scratch, (3 * 6 + q) * n);
            }
            for (int i = 0; i < 4; i++)
            {
                nint row = i * 6 * n;
                At<T, TV>(Ld2<T, TV>(ref scratch, row), Ld2<T, TV>(ref scratch, row + n), Ld2<T, TV>(ref scratch, row + 2 * n),
                    Ld2<T, TV>(ref scratch, row + 3 * n), Ld2<T, TV>(ref scratch, row + 4 * n), Ld2<T, TV>(ref scratch, row + 5 * n),
                    out TV y0, out TV y1, out TV y2, out TV y3);
                St(y0, ref res, (4 * i + 0) * n); St(y1, ref res, (4 * i + 1) * n); St(y2, ref res, (4 * i + 2) * n); St(y3, ref res, (4 * i + 3) * n);
            }
        }

        public static void GradOutputBlock<T, TV>(ref T q, nint ldt, ref T h, nint at, nint xiStride, ref T scratch)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            // A q down each of the 4 columns into the scratch (6 × 4 vectors), then A along each of its rows
            nint n = TV.Count;
            for (int jj = 0; jj < 4; jj++)
            {
                A<T, TV>(Ld2<T, TV>(ref q, jj * ldt), Ld2<T, TV>(ref q, (4 + jj) * ldt), Ld2<T, TV>(ref q, (8 + jj) * ldt),
                    Ld2<T, TV>(ref q, (12 + jj) * ldt), out TV z0, out TV z1, out TV z2, out TV z3, out TV z4, out TV z5);
                St(z0, ref scratch, (0 * 4 + jj) * n); St(z1, ref scratch, (1 * 4 + jj) * n); St(z2, ref scratch, (2 * 4 + jj) * n);
                St(z3, ref scratch, (3 * 4 + jj) * n); St(z4, ref scratch, (4 * 4 + jj) * n); St(z5, ref scratch, (5 * 4 + jj) * n);
            }
            for (int r = 0; r < 6; r++)
            {
                nint row = r * 4 * n;
                A<T, TV>(Ld2<T, TV>(ref scratch, row), Ld2<T, TV>(ref scratch, row + n), Ld2<T, TV>(ref scratch, row + 2 * n), Ld2<T, TV>(ref scratch, row + 3 * n),
                    out TV y0, out TV y1, out TV y2, out TV y3, out TV y4, out TV y5);
                nint xi = 6 * r * xiStride + at;
                St(y0, ref h, xi); St(y1, ref h, xi + xiStride); St(y2, ref h, xi + 2 * xiStride);
                St(y3, ref h, xi + 3 * xiStride); St(y4, ref h, xi + 4 * xiStride); St(y5, ref h, xi + 5 * xiStride);
            }
        }

        /// <summary>(y0 … y5) = Bᵀ (d0 … d5).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Bt<T, TV>(TV d0, TV d1, TV d2, TV d3, TV d4, TV d5, out TV y0, out TV y1, out TV y2, out TV y3, out TV y4, out TV y5)
            where T : INumberBase<T> where TV : struct, IVec<TV, T>
        {
            T two = T.CreateTruncating(2), four = T.CreateTruncating(4), five = T.CreateTruncating(5);
            TV d42 = d4 - d2;
            y0 = d4 - d2 * five + d0 * four;
            y1 = d3 + d4 - (d1 + d2) * four;
            y2 = d4 - d3 + (d1 - d2) * four;
            y3 = d42 + (d3 - d1) * two;
            y4 = d42 + (d1 - d3) * two;
            y5 = d5 - d3 * five + d1 * four;
        }

        /// <summary>(y0 … y3) = Aᵀ (s0 … s5).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void At<T, TV>(TV s0, TV s1, TV s2, TV s3, TV s4, TV s5, out TV y0, out TV y1, out TV y2, out TV y3)
            where T : INumberBase<T> where TV : struct, IVec<TV, T>
        {
            TV a = s1 + s2, b = s1 - s2, c = s3 + s4, d = s3 - s4;
            y0 = s0 + a + c;
            y1 = b + d * T.CreateTruncating(2);
            y2 = a + c * T.CreateTruncating(4);
            y3 = b + d * T.CreateTruncating(8) + s5;
        }

        /// <summary>(z0 … z5) = A (h0 … h3), A = (Aᵀ)ᵀ: the gY side of the weight gradient.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void A<T, TV>(TV h0, TV h1, TV h2, TV h3, out TV z0, out TV z1, out TV z2, out TV z3, out TV z4, out TV z5)
            where T : INumberBase<T> where TV : struct, IVec<TV, T>
        {
            TV a = h0 + h2, b = h1 + h3, c = h0 + h2 * T.CreateTruncating(4), d = h1 * T.CreateTruncating(2) + h3 * T.CreateTruncating(8);
            z0 = h0;
            z1 = a + b;
            z2 = a - b;
            z3 = c + d;
            z4 = c - d;
            z5 = h3;
        }

        /// <summary>(y0 … y5) = G (g0, g1, g2), with the rounded reciprocals of 6, 12 and 24.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void G<T, TV>(TV g0, TV g1, TV g2, out TV y0, out TV y1, out TV y2, out TV y3, out TV y4, out TV y5)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            T sixth = T.One / T.CreateTruncating(6), twelfth = T.One / T.CreateTruncating(12), twentyFourth = T.One / T.CreateTruncating(24);
            TV s02 = g0 + g2, odd = g1 * twelfth, even = g0 * twentyFourth + g2 * sixth;
            y0 = g0 * T.CreateTruncating(0.25);
            y1 = (TV.Zero - (s02 + g1)) * sixth;
            y2 = (g1 - s02) * sixth;
            y3 = even + odd;
            y4 = even - odd;
            y5 = g2;
        }

        /// <summary>(w0, w1, w2) = Gᵀ (m0 … m5).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Gt<T, TV>(TV m0, TV m1, TV m2, TV m3, TV m4, TV m5, out TV w0, out TV w1, out TV w2)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            T sixth = T.One / T.CreateTruncating(6), twelfth = T.One / T.CreateTruncating(12), twentyFourth = T.One / T.CreateTruncating(24);
            TV a = m1 + m2, b = m1 - m2, c = m3 + m4, d = m3 - m4;
            w0 = m0 * T.CreateTruncating(0.25) - a * sixth + c * twentyFourth;
            w1 = d * twelfth - b * sixth;
            w2 = (c - a) * sixth + m5;
        }
    }
}
