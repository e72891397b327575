namespace Nabla.IO.Onnx;

/// <summary>
/// Settings of an ONNX export. <see cref="Opset"/> is the default-domain opset (17 to 21): from 20 on, GELU is ONNX's
/// own <c>Gelu</c> op, below it is spelled with <c>Erf</c> (or <c>Tanh</c>) so the model also loads in older runtimes
/// and checkers (ONNX 1.12 knows opsets up to 17). <see cref="DynamicAxes"/> are the input dims left symbolic
/// (default: the batch dim 0, named "N"), so the exported graph accepts any batch size. <see cref="Softmax"/> appends
/// a softmax over the last dim, for a model that outputs probabilities instead of logits.
/// </summary>
public sealed record OnnxExportOptions(
    int Opset = 17,
    string InputName = "input",
    string OutputName = "output",
    int[]? DynamicAxes = null,
    bool Softmax = false,
    string? DocString = null)
{
    /// <summary>The lowest and highest opsets this exporter writes.</summary>
    public const int MinOpset = 17, MaxOpset = 21;

    /// <summary>The symbolic input dims (default [0]).</summary>
    public int[] Dynamic => DynamicAxes ?? [0];

    /// <summary>The ONNX IR version that goes with <see cref="Opset"/> (onnx/docs/Versioning.md: 17–18 → 8, 19–20 → 9, 21 → 10).</summary>
    public long IrVersion => Opset switch { <= 18 => 8, <= 20 => 9, _ => 10 };

    /// <summary>Checks the settings once; messages name the constraint.</summary>
    public OnnxExportOptions Validate()
    {
        if (Opset is < MinOpset or > MaxOpset)
            throw new ArgumentException($"ONNX export: opset must be in [{MinOpset}, {MaxOpset}], got {Opset}");
        if (string.IsNullOrWhiteSpace(InputName) || string.IsNullOrWhiteSpace(OutputName) || InputName == OutputName)
            throw new ArgumentException($"ONNX export: input and output names must be non-empty and different (got '{InputName}', '{OutputName}')");
        if (Dynamic.Any(a => a < 0)) throw new ArgumentException($"ONNX export: dynamic axes must be non-negative, got [{string.Join(", ", Dynamic)}]");
        return this;
    }
}
