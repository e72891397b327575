using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// erf and erfc, which .NET lacks. Float64: the algorithm of Sun's fdlibm s_erf.c (rational approximations on
/// [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35), [1/0.35, 6 or 28); error &lt; 1 ulp by its authors' analysis),
/// continuous across the interval seams to rounding, so float64 finite differences through it are clean.
/// Float32: Eigen's rational approximation x·P(x²)/Q(x²) on [−4, 4] (erf is ±1 in float32 beyond), which
/// vectorises without branches; <see cref="ErfSingle(float)"/> is the scalar twin of the vector forms.
/// </summary>
internal static class SpecialFunctions
{
    private const double Erx = 8.45062911510467529297e-01;
    // erf on [0, 0.84375): erf(x) = x + x·R(x²)/S(x²)
    private const double Efx = 1.28379167095512586316e-01, Efx8 = 1.02703333676410069053e+00;
    private const double Pp0 = 1.28379167095512558561e-01, Pp1 = -3.25042107247001499370e-01, Pp2 = -2.84817495755985104766e-02,
        Pp3 = -5.77027029648944159157e-03, Pp4 = -2.37630166566501626084e-05;
    private const double Qq1 = 3.97917223959155352819e-01, Qq2 = 6.50222499887672944485e-02, Qq3 = 5.08130628187576562776e-03,
        Qq4 = 1.32494738004321644526e-04, Qq5 = -3.96022827877536812320e-06;
    // erf on [0.84375, 1.25): erf(x) = erx + P(s)/Q(s), s = |x| − 1
    private const double Pa0 = -2.36211856075265944077e-03, Pa1 = 4.14856118683748331666e-01, Pa2 = -3.72207876035701323847e-01,
        Pa3 = 3.18346619901161753674e-01, Pa4 = -1.10894694282396677476e-01, Pa5 = 3.54783043256182359371e-02, Pa6 = -2.16637559486879084300e-03;
    private const double Qa1 = 1.06420880400844228286e-01, Qa2 = 5.40397917702171048937e-01, Qa3 = 7.18286544141962662868e-02,
        Qa4 = 1.26171219808761642112e-01, Qa5 = 1.36370839120290507362e-02, Qa6 = 1.19844998467991074170e-02;
    // erfc on [1.25, 1/0.35): erfc(x) = exp(−x² − 0.5625 + R(1/x²)/S(1/x²)) / x
    private const double Ra0 = -9.86494403484714822705e-03, Ra1 = -6.93858572707181764372e-01, Ra2 = -1.05586262253232909814e+01,
        Ra3 = -6.23753324503260060396e+01, Ra4 = -1.62396669462573470355e+02, Ra5 = -1.84605092906711035994e+02,
        Ra6 = -8.12874355063065934246e+01, Ra7 = -9.81432934416914548592e+00;
    private const double Sa1 = 1.96512716674392571292e+01, Sa2 = 1.37657754143519042600e+02, Sa3 = 4.34565877475229228821e+02,
        Sa4 = 6.45387271733267880336e+02, Sa5 = 4.29008140027567833386e+02, Sa6 = 1.08635005541779435134e+02,
        Sa7 = 6.57024977031928170135e+00, Sa8 = -6.04244152148580987438e-02;
    // erfc on [1/0.35, 28): same form, other coefficients
    private const double Rb0 = -9.86494292470009928597e-03, Rb1 = -7.99283237680523006574e-01, Rb2 = -1.77579549177547519889e+01,
        Rb3 = -1.60636384855821916062e+02, Rb4 = -6.37566443368389627722e+02, Rb5 = -1.02509513161107724954e+03,
        Rb6 = -4.83519191608651397019e+02;
    private const double Sb1 = 3.03380607434824582924e+01, Sb2 = 3.25792512996573918826e+02, Sb3 = 1.53672958608443695994e+03,
        Sb4 = 3.19985821950859553908e+03, Sb5 = 2.55305040643316442583e+03, Sb6 = 4.74528541206955367215e+02,
        Sb7 = -2.24409524465858183362e+01;

    /// <summary>erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, float64.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        double r;
        if (a < 0.84375)
        {
            // |x| < 2^-28: erf(x) = x(1 + efx); below 2^-1015 scale by 8 first so efx·x does not underflow.
            if (a < 3.725290298461914e-09) r = a < 2.848094538889218e-306 ? 0.125 * (8.0 * a + Efx8 * a) : a + Efx * a;
            else { double z = a * a; r = a + a * SmallRatio(z); }
        }
        else if (a < 1.25) r = Erx + NearOneRatio(a - 1);
        else if (a >= 6) r = 1;
        else r = 1 - ErfcTail(a);
        return x < 0 ? -r : r;
    }

    /// <summary>erfc(x) = 1 − erf(x), float64, without the cancellation for large x (erfc(27) ≈ 5e−319).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a < 0.84375)
        {
            if (a < 1.3877787807814457e-17) return 1 - x;   // |x| < 2^-56
            double y = SmallRatio(x * x);
            // erf(x) = x + x·y; below 1/4 the subtraction from 1 is exact enough, above it regroup around 0.5.
            if (a < 0.25) return 1 - (x + x * y);
            return x < 0 ? 1 + (a + a * y) : 0.5 - (x * y + (x - 0.5));
        }
        if (a < 1.25)
        {
            double pq = NearOneRatio(a - 1);
            return x < 0 ? 1 + Erx + pq : 1 - Erx - pq;
        }
        if (a < 28)
        {
            if (x < -6) return 2;
            double t = ErfcTail(a);
            return x < 0 ? 2 - t : t;
        }
        return x < 0 ? 2 : 0;
    }

    private static double SmallRatio(double z) =>
        (Pp0 + z * (Pp1 + z * (Pp2 + z * (Pp3 + z * Pp4)))) / (1 + z * (Qq1 + z * (Qq2 + z * (Qq3 + z * (Qq4 + z * Qq5)))));

    private static double NearOneRatio(double s) =>
        (Pa0 + s * (Pa1 + s * (Pa2 + s * (Pa3 + s * (Pa4 + s * (Pa5 + s * Pa6)))))) /
        (1 + s * (Qa1 + s * (Qa2 + s * (Qa3 + s * (Qa4 + s * (Qa5 + s * Qa6))))));

    /// <summary>erfc(a) for 1.25 ≤ a &lt; 28.</summary>
    private static double ErfcTail(double a)
    {
        double s = 1 / (a * a), rr, ss;
        if (a < 1 / 0.35)
        {
            rr = Ra0 + s * (Ra1 + s * (Ra2 + s * (Ra3 + s * (Ra4 + s * (Ra5 + s * (Ra6 + s * Ra7))))));
            ss = 1 + s * (Sa1 + s * (Sa2 + s * (Sa3 + s * (Sa4 + s * (Sa5 + s * (Sa6 + s * (Sa7 + s * Sa8)))))));
        }
        else
        {
            rr = Rb0 + s * (Rb1 + s * (Rb2 + s * (Rb3 + s * (Rb4 + s * (Rb5 + s * Rb6)))));
            ss = 1 + s * (Sb1 + s * (Sb2 + s * (Sb3 + s * (Sb4 + s * (Sb5 + s * (Sb6 + s * Sb7))))));
        }
        // z = a with the low 32 bits cleared, so z² is exact and exp(−a²) is formed without rounding a².
        double z = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & unchecked((long)0xffffffff00000000UL));
        return Math.Exp(-z * z - 0.5625) * Math.Exp((z - a) * (z + a) + rr / ss) / a;
    }

    // ---------------------------------------------------------------- float32 (Eigen's approximation)

    private const float A1 = -1.60960333262415e-02f, A3 = -2.95459980854025e-03f, A5 = -7.34990630326855e-04f,
        A7 = -5.69250639462346e-05f, A9 = -2.10102402082508e-06f, A11 = 2.77068142495902e-08f, A13 = -2.72614225801306e-10f;
    private const float B0 = -1.42647390514189e-02f, B2 = -7.37332916720468e-03f, B4 = -1.68282697438203e-03f,
        B6 = -2.13374055278905e-04f, B8 = -1.45660718464996e-05f;

    /// <summary>erf(x) in float32: x·P(x²)/Q(x²) with x clamped to [−4, 4] (NaN passes through).</summary>
    public static float ErfSingle(float x)
    {
        if (float.IsNaN(x)) return x;
        x = Math.Clamp(x, -4f, 4f);
        float z = x * x;
        float p = MathF.FusedMultiplyAdd(z, A13, A11);
        p = MathF.FusedMultiplyAdd(z, p, A9); p = MathF.FusedMultiplyAdd(z, p, A7); p = MathF.FusedMultiplyAdd(z, p, A5);
        p = MathF.FusedMultiplyAdd(z, p, A3); p = MathF.FusedMultiplyAdd(z, p, A1);
        float q = MathF.FusedMultiplyAdd(z, B8, B6);
        q = MathF.FusedMultiplyAdd(z, q, B4); q = MathF.FusedMultiplyAdd(z, q, B2); q = MathF.FusedMultiplyAdd(z, q, B0);
        return x * p / q;
    }

    /// <summary>The vector form of <see cref="ErfSingle(float)"/>, for every width (NaN passes through Min/Max).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ErfSingle<TV>(TV x) where TV : struct, IVec<TV, float>
    {
        var c = TV.Min(TV.Max(x, TV.Create(-4f)), TV.Create(4f));
        var z = c * c;
        var p = TV.FusedMultiplyAdd(z, TV.Create(A13), TV.Create(A11));
        p = TV.FusedMultiplyAdd(z, p, TV.Create(A9)); p = TV.FusedMultiplyAdd(z, p, TV.Create(A7));
        p = TV.FusedMultiplyAdd(z, p, TV.Create(A5)); p = TV.FusedMultiplyAdd(z, p, TV.Create(A3));
        p = TV.FusedMultiplyAdd(z, p, TV.Create(A1));
        var q = TV.FusedMultiplyAdd(z, TV.Create(B8), TV.Create(B6));
        q = TV.FusedMultiplyAdd(z, q, TV.Create(B4)); q = TV.FusedMultiplyAdd(z, q, TV.Create(B2));
        q = TV.FusedMultiplyAdd(z, q, TV.Create(B0));
        return c * p / q;
    }
}
