using AssemblyInformationalVersionAttribute = System.Reflection.AssemblyInformationalVersionAttribute;
using Google.Protobuf;
using Nabla.NN;
using Onnx;

namespace Nabla.IO.Onnx;

/// <summary>Turns one module (of type <typeparamref name="T"/>) applied to <paramref name="input"/> into ONNX nodes
/// through <paramref name="ctx"/> and returns its output value.</summary>
public delegate OnnxValue OnnxConverter<in T>(OnnxContext ctx, T module, OnnxValue input) where T : Module;

/// <summary>
/// Writes a Nabla model as an ONNX graph (a protobuf <c>ModelProto</c> built with the classes generated from the
/// official onnx.proto). A registry maps each module type to a converter that contributes its nodes; containers
/// (Sequential, residual blocks, the sentence models) convert their children through <see cref="OnnxContext.Emit"/>.
/// The sample input runs once through the model (in eval mode, without gradients) to record every module's input
/// and output shapes; the model's train/eval modes are restored afterwards. A module with no converter is a typed
/// <see cref="OnnxExportException"/> naming its path and type; <see cref="Register{T}"/> adds or replaces one.
/// </summary>
public sealed class OnnxExporter
{
    private readonly Dictionary<Type, Func<OnnxContext, Module, OnnxValue, OnnxValue>> _converters = [];

    /// <summary>An exporter with converters for every built-in layer and model family (see <see cref="OnnxConverters"/>).</summary>
    public OnnxExporter() => OnnxConverters.RegisterBuiltIns(this);

    /// <summary>The module types this exporter converts.</summary>
    public IEnumerable<Type> SupportedTypes => _converters.Keys;

    /// <summary>Adds (or replaces) the converter of modules of exactly type <typeparamref name="T"/>.</summary>
    public OnnxExporter Register<T>(OnnxConverter<T> converter) where T : Module
    {
        ArgumentNullException.ThrowIfNull(converter);
        _converters[typeof(T)] = (ctx, m, x) => converter(ctx, (T)m, x);
        return this;
    }

    internal OnnxValue Convert(OnnxContext ctx, Module module, OnnxValue input)
    {
        if (!_converters.TryGetValue(module.GetType(), out var convert))
            throw ctx.Error(module, "no ONNX converter for this module type (supported: " +
                string.Join(", ", _converters.Keys.Select(t => t.Name).Order(StringComparer.Ordinal)) + "; add one with OnnxExporter.Register)");
        return convert(ctx, module, input);
    }

    /// <summary>Exports <paramref name="model"/> to the file <paramref name="path"/> (written atomically).</summary>
    public void Export(Module model, Tensor sampleInput, string path, OnnxExportOptions? options = null)
    {
        var proto = Build(model, sampleInput, options);
        AtomicFile.Write(path, s => proto.WriteTo(s));
    }

    /// <summary>The serialized ONNX model (protobuf bytes).</summary>
    public byte[] ExportBytes(Module model, Tensor sampleInput, OnnxExportOptions? options = null) =>
        Build(model, sampleInput, options).ToByteArray();

    internal ModelProto Build(Module model, Tensor sampleInput, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampleInput);
        var o = (options ?? new OnnxExportOptions()).Validate();
        if (o.Dynamic.Any(a => a >= sampleInput.Rank))
            throw new ArgumentException($"ONNX export: dynamic axes [{string.Join(", ", o.Dynamic)}] do not fit a sample input of rank {sampleInput.Rank}");
        var floatType = model.Parameters().Select(p => p.DType).FirstOrDefault(d => d.IsFloatingPoint(),
            sampleInput.DType.IsFloatingPoint() ? sampleInput.DType : DType.Float32);
        var (shapes, output) = Trace(model, sampleInput);

        var ctx = new OnnxContext(this, o, floatType, shapes);
        ctx.Reserve(o.InputName);
        var y = ctx.Emit(model, new OnnxValue(o.InputName, sampleInput.Shape.ToArray()), "");
        if (!y.Shape.SequenceEqual(output.Shape.ToArray()))
            throw new OnnxExportException("", model.GetType().Name,
                $"the converted graph's output shape [{string.Join(", ", y.Shape)}] differs from the model's [{string.Join(", ", output.Shape.ToArray())}]");
        if (o.Softmax) ctx.NamedNode("Softmax", y.Name, o.OutputName, OnnxAttribute.Int("axis", -1));
        else ctx.NamedNode("Identity", y.Name, o.OutputName);

        var graph = ctx.Graph;
        graph.Name = model.GetType().Name;
        graph.Input.Add(ValueInfo(o.InputName, OnnxContext.ElemType(sampleInput.DType), sampleInput.Shape.ToArray(), o.Dynamic, outputDims: null, isOutput: false));
        graph.Output.Add(ValueInfo(o.OutputName, OnnxContext.ElemType(output.DType), output.Shape.ToArray(), o.Dynamic,
            VaryingOutputDims(model, sampleInput, output, o.Dynamic)));
        var proto = new ModelProto
        {
            IrVersion = o.IrVersion,
            ProducerName = "Nabla",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttributes(typeof(AssemblyInformationalVersionAttribute), false).OfType<AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "",
            DocString = o.DocString ?? model.ToString(),
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = o.Opset });
        return proto;
    }

    /// <summary>Runs the sample through the model in eval mode without gradients, recording each module's first
    /// (input, output) shapes; restores every module's train/eval mode.</summary>
    private static (Dictionary<Module, (int[] Input, int[] Output)> Shapes, Tensor Output) Trace(Module model, Tensor sample)
    {
        var modules = model.NamedModules().Select(m => m.Module).ToList();
        var modes = modules.Select(m => m.Training).ToList();
        var shapes = new Dictionary<Module, (int[] Input, int[] Output)>(ReferenceEqualityComparer.Instance);
        var hooks = modules.Select(m => m.RegisterForwardHook((mod, x, y) => shapes.TryAdd(mod, (x.Shape.ToArray(), y.Shape.ToArray())))).ToList();
        try
        {
            model.Eval();
            using var _ = GradMode.NoGrad();
            var output = model.Invoke(sample);
            return (shapes, output);
        }
        finally
        {
            foreach (var h in hooks) h.Dispose();
            for (int i = 0; i < modules.Count; i++) modules[i].Train(modes[i]);   // pre-order: children after parents
        }
    }

    /// <summary>The output dims that follow the dynamic input dims: found by running a zero input whose dynamic dims
    /// are one larger (zeros are valid tokens too: padding) and seeing which output dims change. Null when that run
    /// fails (a model that accepts only the sample's sizes), which leaves every output dim but the batch symbolic.</summary>
    private static bool[]? VaryingOutputDims(Module model, Tensor sample, Tensor output, int[] dynamic)
    {
        var shape = sample.Shape.ToArray();
        foreach (int a in dynamic) shape[a]++;
        var modules = model.NamedModules().Select(m => m.Module).ToList();
        var modes = modules.Select(m => m.Training).ToList();
        try
        {
            model.Eval();
            using var _ = GradMode.NoGrad();
            var other = model.Invoke(Tensor.Zeros(shape, sample.DType));
            if (other.Rank != output.Rank) return null;
            return Enumerable.Range(0, output.Rank).Select(i => other.Size(i) != output.Size(i)).ToArray();
        }
        catch (NablaException) { return null; }
        catch (ArgumentException) { return null; }
        finally
        {
            for (int i = 0; i < modules.Count; i++) modules[i].Train(modes[i]);
        }
    }

    /// <summary>A tensor value's type. Input dims listed in <paramref name="dynamic"/> are symbolic ("N" for dim 0,
    /// "d{k}" else). For the output (<paramref name="outputDims"/> not null or dynamic), dim 0 is "N" when the batch
    /// is dynamic, and another dim is symbolic ("out_d{k}") when it varies with the input (unknown: every non-batch dim
    /// when another input dim is dynamic).</summary>
    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, int[] shape, int[] dynamic, bool[]? outputDims,
        bool isOutput = true)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        bool othersDynamic = dynamic.Any(a => a != 0);
        for (int i = 0; i < shape.Length; i++)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            bool varies = outputDims?[i] ?? othersDynamic;
            if (i == 0 && dynamic.Contains(0)) dim.DimParam = "N";
            else if (!isOutput && dynamic.Contains(i)) dim.DimParam = $"d{i}";
            else if (isOutput && i > 0 && varies) dim.DimParam = $"out_d{i}";
            else dim.DimValue = shape[i];
            tensorType.Shape.Dim.Add(dim);
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
