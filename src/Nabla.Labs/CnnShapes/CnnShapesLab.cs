using Nabla.Models;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>What <c>cnn-shapes</c> may change: the input side and the channel plan of the conv stages.</summary>
public sealed record CnnShapesSettings
{
    [Setting("side of the square one-channel input (28 = MNIST)", Min = 28, Max = 256)]
    public int Side { get; init; } = 28;

    [Setting("output channels of the conv → ReLU → pool stages, in order")]
    public int[] Channels { get; init; } = [16, 32];
}

/// <summary>One configuration's shapes and counts: the sides after each conv and pool (ConvArithmetic), the flattened
/// width, the parameter count by Summary and by the closed formula, the convolution and linear parts of the formula,
/// and Summary's two tables.</summary>
public sealed record CnnShapesRow(string Label, int Kernel, int Stride, int Padding, bool MaxPooling, int Pool,
    int[] Sides, int FlatChannels, int FlatSide, int Flat, int MeasuredFlat, long SummaryParameters, long FormulaParameters,
    long ConvParameters, long LinearParameters, string ParameterTable, string LayerTable)
{
    public bool Agrees => SummaryParameters == FormulaParameters && Flat == MeasuredFlat;
}

public sealed record CnnShapesResult(IReadOnlyList<CnnShapesRow> Rows);

/// <summary>
/// The configurable CNN (<see cref="Cnn"/>) on one-channel square inputs with "same" and "valid" padding (and two
/// variants): every parameter tensor with its shape and the total (NN.Summary's ParameterTable), the layer output
/// shapes, and each spatial size recomputed with <see cref="ConvArithmetic"/> as a cross-check. No data, no training.
/// </summary>
public sealed partial class CnnShapesLab : Lab<CnnShapesSettings, CnnShapesResult>
{
    public override string Name => "cnn-shapes";

    public override string Description => "configurable CNN, same vs valid padding: parameter tensors, shapes and totals cross-checked with ConvArithmetic";

    public override string Title => "Shapes and parameter counts of a configurable CNN";

    /// <summary>Nothing is trained, so the quick run is the full run.</summary>
    public override CnnShapesSettings Quick => new();

    public override CnnShapesSettings Full => new();

    /// <summary>The four configurations: label and options (without input side and channel plan).</summary>
    public static IReadOnlyList<(string Label, CnnOptions Options)> Configs { get; } =
    [
        ("same", new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true, MaxPooling: true)),
        ("valid", new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: false, MaxPooling: true)),
        ("same-k3-avg", new CnnOptions(ConvKernelSize: 3, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true, MaxPooling: false)),
        ("valid-k3-s2", new CnnOptions(ConvKernelSize: 3, PoolingKernelSize: 2, StrideSize: 2, ZeroPadding: false, MaxPooling: true)),
    ];

    public override CnnShapesResult Experiment(CnnShapesSettings s, LabKit kit)
    {
        if (s.Channels.Length == 0 || s.Channels.Any(c => c <= 0))
            throw new ArgumentException($"lab '{Name}': setting 'channels' needs at least one positive channel count, got '{LabSettings.Show(s.Channels)}'");
        var rows = new List<CnnShapesRow>();
        foreach (var (label, baseOptions) in Configs)
        {
            var o = baseOptions with { Height = s.Side, Width = s.Side, Channels = s.Channels };
            // Sides by ConvArithmetic first: a plan that shrinks a map below one pixel is an error naming the configuration.
            int side = o.Height, cin = o.InChannels, pad = o.ZeroPadding ? o.ConvKernelSize / 2 : 0;
            long conv = 0;
            var sides = new List<int> { side };
            foreach (int cout in o.ChannelPlan)
            {
                foreach (var (k, stride, p) in new[] { (o.ConvKernelSize, o.StrideSize, pad), (o.PoolingKernelSize, o.PoolingKernelSize, 0) })
                {
                    if (side + 2 * p < k)
                        throw new ArgumentException($"lab '{Name}': configuration '{label}' shrinks the {s.Side}×{s.Side} input below one pixel " +
                                                    $"(sides {string.Join(" → ", sides)}); use a larger 'side' or fewer 'channels' stages");
                    side = ConvArithmetic.OutputSize(side, k, stride, p);
                    sides.Add(side);
                }
                conv += (long)cout * cin * o.ConvKernelSize * o.ConvKernelSize + cout;
                cin = cout;
            }
            int flat = cin * side * side;
            long linear = (long)flat * o.Classes + o.Classes;
            var model = Cnn.Create(o, kit.Generator(1));
            var summary = Summary.Of(model, [o.InChannels, o.Height, o.Width]);
            int measuredFlat = summary.Rows.Single(r => r.Type == "Flatten-1").OutputShape[1];
            var row = new CnnShapesRow(label, o.ConvKernelSize, o.StrideSize, pad, o.MaxPooling, o.PoolingKernelSize, sides.ToArray(), cin, side,
                flat, measuredFlat, summary.TotalParameters, conv + linear, conv, linear, summary.ParameterTable(), summary.ToString());
            kit.Out.WriteLine($"  {label}: sides {string.Join(" → ", sides)}, flat {flat}, parameters {summary.TotalParameters:N0} ({(row.Agrees ? "matches" : "MISMATCH")})");
            rows.Add(row);
        }
        return new CnnShapesResult(rows);
    }
}
