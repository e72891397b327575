using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Nabla.NN;
using Onnx;

namespace Nabla.IO.Onnx;

/// <summary>
/// The graph under construction, handed to every converter: it emits nodes (with unique output names), stores
/// initializers (weights as raw little-endian data), makes constants, knows each module's input and output shapes
/// from the sample run, and converts child modules through the exporter's registry (<see cref="Emit"/>), keeping
/// their dotted paths for node names and error messages.
/// </summary>
public sealed class OnnxContext
{
    private readonly OnnxExporter _exporter;
    private readonly IReadOnlyDictionary<Module, (int[] Input, int[] Output)> _shapes;
    private readonly HashSet<string> _names = [];
    private int _counter;

    internal GraphProto Graph { get; } = new();

    internal OnnxContext(OnnxExporter exporter, OnnxExportOptions options, DType floatType,
        IReadOnlyDictionary<Module, (int[] Input, int[] Output)> shapes)
    {
        (_exporter, Options, FloatType, _shapes) = (exporter, options, floatType, shapes);
    }

    /// <summary>The export settings (opset, names, dynamic axes).</summary>
    public OnnxExportOptions Options { get; }

    /// <summary>The default-domain opset being written.</summary>
    public int Opset => Options.Opset;

    /// <summary>The floating dtype of the model's parameters (float32 or float64).</summary>
    public DType FloatType { get; }

    /// <summary>The dotted path of the module being converted ("" at the root).</summary>
    public string Path { get; private set; } = "";

    /// <summary>Converts <paramref name="child"/> (named <paramref name="name"/> under the current path) applied to
    /// <paramref name="input"/> and returns its output.</summary>
    public OnnxValue Emit(Module child, OnnxValue input, string name)
    {
        string saved = Path;
        Path = saved.Length == 0 ? name : saved + "." + name;
        try { return _exporter.Convert(this, child, input); }
        finally { Path = saved; }
    }

    /// <summary>The input shape of <paramref name="module"/> in the sample run.</summary>
    public int[] InputShape(Module module) => Shapes(module).Input;

    /// <summary>The output shape of <paramref name="module"/> in the sample run.</summary>
    public int[] OutputShape(Module module) => Shapes(module).Output;

    private (int[] Input, int[] Output) Shapes(Module module) => _shapes.TryGetValue(module, out var s) ? s
        : throw Error(module, "it was not called (through Invoke) while the sample input ran, so its shapes are unknown");

    /// <summary>A typed error about <paramref name="module"/> at the current path.</summary>
    public OnnxExportException Error(Module module, string problem) => new(Path, module.GetType().Name, problem);

    /// <summary>Adds node <paramref name="opType"/> with one output and returns the output's name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    /// <summary>Adds node <paramref name="opType"/> with <paramref name="outputs"/> outputs; an input "" is an
    /// omitted optional input (ONNX's convention).</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputs, params OnnxAttribute[] attributes)
    {
        string node = Unique((Path.Length == 0 ? "" : Path + "/") + opType);
        var proto = new NodeProto { Name = node, OpType = opType };
        proto.Input.AddRange(inputs);
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++) names[i] = Unique(node + ":" + i.ToString(CultureInfo.InvariantCulture));
        proto.Output.AddRange(names);
        proto.Attribute.AddRange(attributes.Select(a => a.Proto));
        Graph.Node.Add(proto);
        return names;
    }

    /// <summary>Adds a one-output node whose output gets the exact name <paramref name="output"/> (the graph output).</summary>
    internal void NamedNode(string opType, string input, string output, params OnnxAttribute[] attributes)
    {
        _names.Add(output);
        var proto = new NodeProto { Name = Unique((Path.Length == 0 ? "" : Path + "/") + opType), OpType = opType };
        proto.Input.Add(input);
        proto.Output.Add(output);
        proto.Attribute.AddRange(attributes.Select(a => a.Proto));
        Graph.Node.Add(proto);
    }

    /// <summary>Stores <paramref name="tensor"/> as an initializer (named after the state-dict key when given) and
    /// returns its unique name.</summary>
    public string Initializer(string name, Tensor tensor) =>
        Initializer(name, tensor.DType, tensor.Shape.ToArray(), TensorBytes(tensor));

    /// <summary>Stores raw little-endian <paramref name="data"/> of <paramref name="dtype"/> and <paramref name="dims"/>.</summary>
    public string Initializer(string name, DType dtype, int[] dims, byte[] data) =>
        AddInitializer(name, ElemType(dtype), dims, data);

    /// <summary>An int64 constant (axes, shapes, indices).</summary>
    public string Int64s(string name, params long[] values)
    {
        var data = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), values[i]);
        return AddInitializer(name, TensorProto.Types.DataType.Int64, [values.Length], data);
    }

    /// <summary>An int64 scalar (rank 0).</summary>
    public string Int64Scalar(string name, long value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(data, value);
        return AddInitializer(name, TensorProto.Types.DataType.Int64, [], data);
    }

    /// <summary>A scalar of the model's float type.</summary>
    public string Scalar(string name, double value) => Floats(name, [], value);

    /// <summary>A constant of the model's float type with shape <paramref name="dims"/>.</summary>
    public string Floats(string name, int[] dims, params double[] values)
    {
        int size = FloatType.SizeInBytes();
        var data = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (FloatType == DType.Float64) BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
            else BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), (float)values[i]);
        }
        return AddInitializer(name, ElemType(FloatType), dims, data);
    }

    private string AddInitializer(string name, TensorProto.Types.DataType type, int[] dims, byte[] data)
    {
        name = Unique(name);
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        t.Dims.AddRange(dims.Select(d => (long)d));
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>The elements of <paramref name="t"/> in row-major order as little-endian bytes.</summary>
    public static byte[] TensorBytes(Tensor t) => Safetensors.LittleEndianBytes(t);

    internal static TensorProto.Types.DataType ElemType(DType dtype) => dtype switch
    {
        DType.Float32 => TensorProto.Types.DataType.Float,
        DType.Float64 => TensorProto.Types.DataType.Double,
        DType.Int32 => TensorProto.Types.DataType.Int32,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    private string Unique(string name)
    {
        if (_names.Add(name)) return name;
        string candidate;
        do candidate = name + "_" + (++_counter).ToString(CultureInfo.InvariantCulture);
        while (!_names.Add(candidate));
        return candidate;
    }

    /// <summary>Reserves a name (the graph input) so that no node output takes it.</summary>
    internal void Reserve(string name) => _names.Add(name);
}
