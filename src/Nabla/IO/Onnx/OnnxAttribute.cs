using Onnx;

namespace Nabla.IO.Onnx;

/// <summary>A node attribute (name and a typed value), built with the factory methods.</summary>
public sealed class OnnxAttribute
{
    internal AttributeProto Proto { get; }

    private OnnxAttribute(AttributeProto proto) => Proto = proto;

    /// <summary>An INT attribute (e.g. <c>axis</c>).</summary>
    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    /// <summary>A FLOAT attribute (stored as float32, as ONNX does; e.g. <c>epsilon</c>).</summary>
    public static OnnxAttribute Float(string name, double value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value });

    /// <summary>A STRING attribute, UTF-8 encoded (e.g. Gelu's <c>approximate</c>).</summary>
    public static OnnxAttribute String(string name, string value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) });

    /// <summary>An INTS attribute (e.g. <c>kernel_shape</c>, <c>pads</c>).</summary>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return new OnnxAttribute(a);
    }

    /// <summary>A STRINGS attribute, each UTF-8 encoded (e.g. an LSTM's <c>activations</c>).</summary>
    public static OnnxAttribute Strings(string name, params string[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        a.Strings.AddRange(values.Select(Google.Protobuf.ByteString.CopyFromUtf8));
        return new OnnxAttribute(a);
    }
}
