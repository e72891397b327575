
namespace Nabla.IO;

/// <summary>A .safetensors file that cannot be read: too short, a header length beyond the file, malformed JSON,
/// an unsupported dtype, offsets out of range, overlapping or leaving holes, a shape whose size does not match its
/// byte span, a value that does not fit Nabla's dtype. The message names the file, the tensor (when one is at fault)
/// and the problem.</summary>
public sealed class SafetensorsFormatException : NablaException
{
    public SafetensorsFormatException(string fileName, string? tensorName, string problem, Exception? inner = null)
        : base(tensorName is null ? $"{fileName}: {problem}" : $"{fileName}: tensor '{tensorName}': {problem}", inner)
    {
        FileName = fileName;
        TensorName = tensorName;
        Problem = problem;
    }

    /// <summary>The file (or "&lt;stream&gt;").</summary>
    public string FileName { get; }

    /// <summary>The tensor at fault, or null for the file as a whole.</summary>
    public string? TensorName { get; }

    public string Problem { get; }
}
