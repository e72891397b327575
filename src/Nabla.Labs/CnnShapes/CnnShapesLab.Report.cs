namespace Nabla.Labs;

// The report of cnn-shapes: the method, one section per configuration (Summary's tables), the summary table and the
// sentences chosen by the rules below from the computed shapes and counts.
public sealed partial class CnnShapesLab
{
    public override void Report(LabReport report, CnnShapesSettings s, CnnShapesResult r)
    {
        report.Paragraph($"""
            `Cnn.Create(new CnnOptions(ConvKernelSize, PoolingKernelSize, StrideSize, ZeroPadding, MaxPooling))` builds
            conv(k, stride s, padding p) → ReLU → pool(q) for each entry of the channel plan ({string.Join(", ", s.Channels)}), then flatten →
            linear → 10 logits, here on 1×{s.Side}×{s.Side} inputs. "Same" padding is p = ⌊k/2⌋ (for odd k and stride 1 the side is kept),
            "valid" is p = 0. Each side follows PyTorch's formula o = ⌊(i + 2p − (k − 1) − 1)/s⌋ + 1 (pooling: kernel = stride = q, p = 0).
            A k×k convolution from C_in to C_out channels has C_out·C_in·k² weights plus C_out biases; the linear layer
            has (C·h·w)·10 weights plus 10 biases.
            """);
        foreach (var row in r.Rows)
        {
            report.Heading($"{row.Label}: kernel {row.Kernel}, stride {row.Stride}, padding {row.Padding}, {(row.MaxPooling ? "max" : "average")} pooling {row.Pool}");
            report.Paragraph($"Sides by ConvArithmetic: {string.Join(" → ", row.Sides)}; flattened width {row.FlatChannels}·{row.FlatSide}·{row.FlatSide} = {row.Flat:N0}.");
            report.Code(row.ParameterTable);
            report.Code(row.LayerTable);
            report.Metric($"params_{row.Label}", row.SummaryParameters);
            report.Metric($"flat_{row.Label}", row.Flat);
            report.Metric($"check_{row.Label}", row.Agrees ? 1 : 0);
        }
        report.Heading("Summary");
        report.Table(["config", "k", "stride", "padding", "pool", "sides", "flat width", "conv parameters", "linear parameters", "parameters (Summary)", "parameters (formula)", "agree"],
            r.Rows.Select(x => (IReadOnlyList<object>)[x.Label, x.Kernel, x.Stride, x.Padding, x.MaxPooling ? "max" : "avg", string.Join("→", x.Sides),
                x.Flat, x.ConvParameters, x.LinearParameters, x.SummaryParameters, x.FormulaParameters, x.Agrees ? "yes" : "NO"]));
        var byLabel = r.Rows.ToDictionary(x => x.Label);
        report.Paragraph(AgreementSentence(r.Rows));
        report.Paragraph(PaddingSentence(byLabel["same"], byLabel["valid"]));
        report.Paragraph(StrideSentence(byLabel["valid-k3-s2"], byLabel["valid"]));
    }

    /// <summary>Whether Summary and the closed formulas agree on every configuration, or which ones disagree.</summary>
    public static string AgreementSentence(IReadOnlyList<CnnShapesRow> rows)
    {
        var bad = rows.Where(x => !x.Agrees).Select(x => x.Label).ToList();
        return bad.Count == 0
            ? $"For all {rows.Count} configurations the parameter count of `Summary` equals the closed formula and the flattened width equals the one ConvArithmetic predicts."
            : $"**Mismatch** between `Summary` and the closed formulas (or ConvArithmetic's flattened width) for {string.Join(", ", bad)}: the model or the formula is wrong there.";
    }

    /// <summary>Same vs valid padding: how the sides and the classifier's input change, and whether the convolution
    /// parameters differ (they should not: padding changes where a kernel goes, not the kernel).</summary>
    public static string PaddingSentence(CnnShapesRow same, CnnShapesRow valid)
    {
        string sizes = $"With same padding the sides go {string.Join(" → ", same.Sides)}, so the classifier sees {same.FlatChannels}·{same.FlatSide}·{same.FlatSide} = {same.Flat:N0} features; " +
                       $"with valid {valid.Kernel}×{valid.Kernel} convolutions they go {string.Join(" → ", valid.Sides)}, leaving {valid.Flat:N0} features";
        string linear = valid.LinearParameters == same.LinearParameters
            ? " and a linear layer of the same size."
            : valid.LinearParameters < same.LinearParameters
                ? $" and a linear layer {(double)same.LinearParameters / valid.LinearParameters:F1}× smaller ({valid.LinearParameters:N0} vs {same.LinearParameters:N0} parameters)."
                : $" and a linear layer {(double)valid.LinearParameters / same.LinearParameters:F1}× larger ({valid.LinearParameters:N0} vs {same.LinearParameters:N0} parameters).";
        string conv = same.ConvParameters == valid.ConvParameters
            ? $" The convolution parameters are the same in both cases ({same.ConvParameters:N0}): padding changes how many positions a kernel visits, never the kernel itself."
            : $" The convolution parameters differ ({same.ConvParameters:N0} vs {valid.ConvParameters:N0}), so the two configurations do not use the same kernels.";
        return sizes + linear + conv;
    }

    /// <summary>A strided configuration against a stride-1 one: which ends with the smaller maps.</summary>
    public static string StrideSentence(CnnShapesRow strided, CnnShapesRow plain)
    {
        string path = $"A stride of {strided.Stride} takes the maps {string.Join(" → ", strided.Sides)}, against {string.Join(" → ", plain.Sides)} with stride {plain.Stride}";
        return strided.FlatSide < plain.FlatSide
            ? path + ": the strided convolutions shrink the maps much faster, which is why they are a cheap alternative to pooling."
            : path + $": here the strided plan does not end smaller ({strided.FlatSide} vs {plain.FlatSide} pixels a side).";
    }
}
