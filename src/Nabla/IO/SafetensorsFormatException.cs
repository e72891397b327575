
namespace Nabla.IO;

/// <summary>A .safetensors file that cannot be read: too short, a header length beyond the file, malformed JSON,
/// an unsupported dtype, offsets out of range, overlapping or leaving holes, a shape whose size does not match its
/// byte span, a value that does not fit Nabla's dtype. The message names the file, the tensor (when one is at fault)
/// and the problem.</summary>
public sealed class SafetensorsFormatException : NablaException
{
    /// <summary>Creates the error; the message is "file: tensor 't': problem" (or "file: problem").</summary>
    /// <param name="fileName">the file or stream description</param>
    /// <param name="tensorName">the tensor at fault, or null</param>
    /// <param name="problem">what is wrong, in words</param>
    /// <param name="inner">the underlying exception, if any</param>
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

    /// <summary>What is wrong, without the file and tensor names.</summary>
    public string Problem { get; }
}
