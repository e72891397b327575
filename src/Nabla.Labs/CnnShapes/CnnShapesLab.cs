using Nabla.Models;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// The configurable CNN (<see cref="Cnn"/>) on 1×28×28 inputs with "same" and "valid" padding (and two variants):
/// every parameter tensor with its shape and the total (NN.Summary's ParameterTable), the layer output shapes, and
/// each spatial size recomputed with <see cref="ConvArithmetic"/> as a cross-check. No data, no training.
/// </summary>
public sealed class CnnShapesLab : ILab
{
    public string Name => "cnn-shapes";

    public string Description => "configurable CNN, same vs valid padding: parameter tensors, shapes and totals cross-checked with ConvArithmetic";

    private sealed record Config(string Label, CnnOptions Options);

    public LabResult Run(LabContext ctx)
    {
        var report = new LabReport(Name, "Shapes and parameter counts of a configurable CNN");
        Config[] configs =
        [
            new("same", new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true, MaxPooling: true)),
            new("valid", new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: false, MaxPooling: true)),
            new("same-k3-avg", new CnnOptions(ConvKernelSize: 3, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true, MaxPooling: false)),
            new("valid-k3-s2", new CnnOptions(ConvKernelSize: 3, PoolingKernelSize: 2, StrideSize: 2, ZeroPadding: false, MaxPooling: true)),
        ];
        report.Paragraph("""
            `Cnn.Create(new CnnOptions(ConvKernelSize, PoolingKernelSize, StrideSize, ZeroPadding, MaxPooling))` builds
            conv(k, stride s, padding p) → ReLU → pool(q) for each entry of the channel plan (16, 32), then flatten →
            linear → 10 logits. "Same" padding is p = ⌊k/2⌋ (for odd k and stride 1 the side is kept), "valid" is p = 0.
            Each side follows PyTorch's formula o = ⌊(i + 2p − (k − 1) − 1)/s⌋ + 1 (pooling: kernel = stride = q, p = 0).
            A k×k convolution from C_in to C_out channels has C_out·C_in·k² weights plus C_out biases; the linear layer
            has (C·h·w)·10 weights plus 10 biases, so only the linear layer's size depends on the padding.
            """);
        var rows = new List<IReadOnlyList<object>>();
        foreach (var c in configs)
        {
            var o = c.Options;
            var model = Cnn.Create(o, new Tensors.Generator(ctx.Seed + 1));
            var summary = Summary.Of(model, [o.InChannels, o.Height, o.Width]);
            // Cross-check: sides by ConvArithmetic, parameter count by the closed formulas above.
            int side = o.Height, cin = o.InChannels, pad = o.ZeroPadding ? o.ConvKernelSize / 2 : 0;
            long expected = 0;
            var sides = new List<string> { $"{side}" };
            foreach (int cout in o.ChannelPlan)
            {
                side = ConvArithmetic.OutputSize(side, o.ConvKernelSize, o.StrideSize, pad);
                sides.Add($"{side}");
                side = ConvArithmetic.OutputSize(side, o.PoolingKernelSize, o.PoolingKernelSize);
                sides.Add($"{side}");
                expected += (long)cout * cin * o.ConvKernelSize * o.ConvKernelSize + cout;
                cin = cout;
            }
            int flat = cin * side * side;
            expected += (long)flat * o.Classes + o.Classes;
            int measuredFlat = summary.Rows.Single(r => r.Type == "Flatten-1").OutputShape[1];
            bool ok = expected == summary.TotalParameters && flat == measuredFlat;
            ctx.Out.WriteLine($"  {c.Label}: sides {string.Join(" → ", sides)}, flat {flat}, parameters {summary.TotalParameters:N0} ({(ok ? "matches" : "MISMATCH")})");

            report.Heading($"{c.Label}: kernel {o.ConvKernelSize}, stride {o.StrideSize}, padding {pad}, {(o.MaxPooling ? "max" : "average")} pooling {o.PoolingKernelSize}");
            report.Paragraph($"Sides by ConvArithmetic: {string.Join(" → ", sides)}; flattened width {cin}·{side}·{side} = {flat:N0}.");
            report.Code(summary.ParameterTable());
            report.Code(summary.ToString());
            rows.Add([c.Label, o.ConvKernelSize, o.StrideSize, pad, o.MaxPooling ? "max" : "avg", string.Join("→", sides), flat, summary.TotalParameters, expected, ok ? "yes" : "NO"]);
            report.Metric($"params_{c.Label}", summary.TotalParameters);
            report.Metric($"flat_{c.Label}", flat);
            report.Metric($"check_{c.Label}", ok ? 1 : 0);
        }
        report.Heading("Summary");
        report.Table(["config", "k", "stride", "padding", "pool", "sides", "flat width", "parameters (Summary)", "parameters (formula)", "agree"], rows);
        report.Paragraph("""
            With same padding the two convolutions keep 28 and 14, the poolings halve them (28 → 14 → 7), so the
            classifier sees 32·7·7 = 1,568 features; valid 5×5 convolutions shrink each side by 4 (28 → 24 → 12 → 8 → 4),
            leaving 32·4·4 = 512 features and a linear layer three times smaller. The convolution parameters are the same
            in both cases: padding changes how many positions a kernel visits, never the kernel itself. A stride of 2
            shrinks the maps much faster (28 → 13 → 6 → 2 → 1), which is why strided convolutions are a cheap
            alternative to pooling.
            """);
        return report.Save(ctx);
    }
}
