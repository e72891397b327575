using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// Sigmoid networks for two-input Boolean gates (used by the logic-gates and xor labs): the four inputs, the target
/// columns, networks with hand-set weights and truth-table evaluation. Everything is float64.
/// Shape legend: N = 4 input rows (x1, x2) ∈ {00, 01, 10, 11}.
/// </summary>
public static class GateNetworks
{
    /// <summary>The four inputs in truth-table order 00, 01, 10, 11. Shape [4, 2].</summary>
    public static Tensor Inputs() => Tensor.FromArray(new double[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2);

    /// <summary>Target column of a gate ("AND", "OR", "NAND", "NOR", "XOR", "XNOR") in the order of <see cref="Inputs"/>.</summary>
    public static double[] Truth(string gate) => gate switch
    {
        "AND" => [0, 0, 0, 1],
        "OR" => [0, 1, 1, 1],
        "NAND" => [1, 1, 1, 0],
        "NOR" => [1, 0, 0, 0],
        "XOR" => [0, 1, 1, 0],
        "XNOR" => [1, 0, 0, 1],
        _ => throw new ArgumentException($"GateNetworks: unknown gate '{gate}' (AND, OR, NAND, NOR, XOR, XNOR)"),
    };

    /// <summary>Targets of a gate as a [4, 1] tensor.</summary>
    public static Tensor Targets(string gate) => Tensor.FromArray(Truth(gate), 4, 1);

    /// <summary>True for the gates that are not linearly separable and need a hidden layer.</summary>
    public static bool NeedsHidden(string gate) => gate is "XOR" or "XNOR";

    /// <summary>Hand-set (w1, w2, b) of a single unit σ(w1·x1 + w2·x2 + b): ±20 saturates σ to within 5e-5 of 0/1
    /// at the corners while the bias puts the 0.5-level line between them.</summary>
    public static (double W1, double W2, double B) UnitWeights(string gate) => gate switch
    {
        "AND" => (20, 20, -30),   // 1 only when x1 + x2 > 1.5
        "OR" => (20, 20, -10),    // 1 when x1 + x2 > 0.5
        "NAND" => (-20, -20, 30),
        "NOR" => (-20, -20, 10),
        _ => throw new ArgumentException($"GateNetworks: gate '{gate}' has no single-unit solution"),
    };

    /// <summary>The textbook decomposition of a non-separable gate into two hidden gates and an output gate:
    /// XOR = AND(OR, NAND), XNOR = OR(AND, NOR).</summary>
    public static (string Hidden1, string Hidden2, string Output) Decomposition(string gate) => gate switch
    {
        "XOR" => ("OR", "NAND", "AND"),
        "XNOR" => ("AND", "NOR", "OR"),
        _ => throw new ArgumentException($"GateNetworks: gate '{gate}' needs no hidden layer"),
    };

    /// <summary>The architecture of a gate: Linear(2, 1) → Sigmoid, or Linear(2, 2) → Sigmoid → Linear(2, 1) → Sigmoid
    /// for XOR/XNOR, initialised w ~ N(0, σ²) (biases too) from <paramref name="generator"/>.</summary>
    public static Sequential Create(bool hidden, double initStd, Generator generator)
    {
        var net = hidden
            ? new Sequential(new Linear(2, 2, dtype: DType.Float64), new Sigmoid(), new Linear(2, 1, dtype: DType.Float64), new Sigmoid())
            : new Sequential(new Linear(2, 1, dtype: DType.Float64), new Sigmoid());
        foreach (var p in net.Parameters()) Init.Normal_(p, 0, initStd, generator);
        return net;
    }

    /// <summary>The gate's network with the hand-set weights of <see cref="UnitWeights"/> / <see cref="Decomposition"/>.</summary>
    public static Sequential HandSet(string gate)
    {
        var net = Create(NeedsHidden(gate), 1, new Generator(0));
        if (!NeedsHidden(gate))
        {
            SetUnits((Linear)net[0], UnitWeights(gate));
            return net;
        }
        var (h1, h2, o) = Decomposition(gate);
        SetUnits((Linear)net[0], UnitWeights(h1), UnitWeights(h2));
        SetUnits((Linear)net[2], UnitWeights(o));
        return net;
    }

    /// <summary>Copies one (w1, w2, b) per output unit into a Linear layer (in place, not recorded).</summary>
    public static void SetUnits(Linear layer, params (double W1, double W2, double B)[] units)
    {
        if (units.Length != layer.OutFeatures || layer.InFeatures != 2)
            throw new ArgumentException($"GateNetworks.SetUnits: {units.Length} units for a Linear({layer.InFeatures}, {layer.OutFeatures})");
        layer.Weight.CopyFrom_(Tensor.FromArray(units.SelectMany(u => new[] { u.W1, u.W2 }).ToArray(), units.Length, 2));
        layer.Bias!.CopyFrom_(Tensor.FromArray(units.Select(u => u.B).ToArray(), units.Length));
    }

    /// <summary>The network's outputs on the four inputs (no graph recorded).</summary>
    public static double[] Outputs(Module net)
    {
        using var _ = GradMode.NoGrad();
        return net.Invoke(Inputs()).ToDoubleArray();
    }

    /// <summary>True when every output rounds (threshold 0.5) to the gate's truth value.</summary>
    public static bool Matches(double[] outputs, string gate) =>
        outputs.Select(v => v >= 0.5 ? 1.0 : 0.0).SequenceEqual(Truth(gate));

    /// <summary>Text truth table: x1 x2 | target | rounded | raw.</summary>
    public static string Format(string gate, double[] outputs)
    {
        var t = Truth(gate);
        var sb = new System.Text.StringBuilder($"{gate}: x1 x2 | target | net (rounded) | net (raw)\n");
        for (int i = 0; i < 4; i++)
            sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"     {i >> 1}  {i & 1} |   {t[i]}    |       {(outputs[i] >= 0.5 ? 1 : 0)}       | {outputs[i]:0.000000}\n");
        return sb.ToString();
    }

    /// <summary>Network output over a res×res grid of (x1, x2) ∈ [lo, hi]², row 0 at the top (x2 = hi), for a
    /// heat map. Values in [0, 1].</summary>
    public static float[] Surface(Module net, int res = 48, double lo = -0.25, double hi = 1.25)
    {
        var pts = new double[res * res * 2];
        for (int r = 0; r < res; r++)
            for (int c = 0; c < res; c++)
            {
                pts[2 * (r * res + c)] = lo + (hi - lo) * c / (res - 1);
                pts[2 * (r * res + c) + 1] = hi - (hi - lo) * r / (res - 1);
            }
        using var _ = GradMode.NoGrad();
        return Array.ConvertAll(net.Invoke(Tensor.FromArray(pts, res * res, 2)).ToDoubleArray(), v => (float)v);
    }
}
