namespace Nabla.IO.Onnx;

/// <summary>A value in the graph being built: its ONNX name and its shape in the sample run (dims listed in
/// <see cref="OnnxExportOptions.DynamicAxes"/> may differ at inference time).</summary>
public readonly record struct OnnxValue(string Name, int[] Shape)
{
    /// <summary>Number of dims of <see cref="Shape"/>.</summary>
    public int Rank => Shape.Length;
}
