using Nabla.NN;

namespace Nabla.IO.Onnx;

/// <summary><c>model.ExportOnnx(path, sampleInput)</c>, like <c>torch.onnx.export(model, sample, path)</c>.</summary>
public static class ModuleOnnxExtensions
{
    /// <summary>Writes <paramref name="module"/> as an ONNX model to <paramref name="path"/> with the built-in
    /// converters (see <see cref="OnnxExporter"/>); <paramref name="sampleInput"/> fixes the input's dtype, rank and
    /// non-dynamic sizes. Throws <see cref="OnnxExportException"/> naming a module that cannot be exported.</summary>
    public static void ExportOnnx(this Module module, string path, Tensor sampleInput, OnnxExportOptions? options = null) =>
        new OnnxExporter().Export(module, sampleInput, path, options);
}
