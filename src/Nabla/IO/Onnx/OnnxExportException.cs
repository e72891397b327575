
namespace Nabla.IO.Onnx;

/// <summary>A model that cannot be exported to ONNX: a module with no converter (the message names its dotted path and
/// type), or a module configuration the converter cannot express (e.g. an unbatched RNN input).</summary>
public sealed class OnnxExportException : NablaException
{
    public OnnxExportException(string modulePath, string moduleType, string problem)
        : base($"ONNX export: module '{(modulePath.Length == 0 ? "<root>" : modulePath)}' ({moduleType}): {problem}")
    {
        ModulePath = modulePath;
        ModuleType = moduleType;
    }

    /// <summary>The module's dotted name in the model ("" for the root), as in its state-dict keys.</summary>
    public string ModulePath { get; }

    /// <summary>The module's type name (e.g. "LSTM").</summary>
    public string ModuleType { get; }
}
