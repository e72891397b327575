using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// Shared plumbing of Conv1d and Conv2d: argument checks with messages naming the op and shapes, and the calls into
/// the <see cref="Convolution"/> kernel on contiguous tensors of either float dtype.
/// </summary>
internal static class ConvCore
{
    public static void CheckTensors(string op, Tensor input, Tensor weight, Tensor? bias, int spatialDims)
    {
        Dispatch.Floating(op, input);
        Dispatch.SameDType(op, input, weight);
        if (bias is not null) Dispatch.SameDType(op, input, bias);
        int rank = spatialDims + 2;
        string dims = spatialDims == 2 ? "[N, Cin, H, W]" : "[N, Cin, L]";
        if (input.Rank != rank)
            throw ShapeMismatchException.For(op, $"input must be {dims}, got rank {input.Rank}", input.Shape.ToArray(), weight.Shape.ToArray());
        if (weight.Rank != rank)
            throw ShapeMismatchException.For(op, $"weight must be {(spatialDims == 2 ? "[Cout, Cin, kH, kW]" : "[Cout, Cin, k]")}, got rank {weight.Rank}",
                input.Shape.ToArray(), weight.Shape.ToArray());
        if (input.Size(1) != weight.Size(1))
            throw ShapeMismatchException.For(op, $"input has {input.Size(1)} channels but the weight expects {weight.Size(1)}",
                input.Shape.ToArray(), weight.Shape.ToArray());
        if (bias is not null && (bias.Rank != 1 || bias.Size(0) != weight.Size(0)))
            throw ShapeMismatchException.For(op, $"bias must be [Cout] = [{weight.Size(0)}]",
                input.Shape.ToArray(), weight.Shape.ToArray(), bias.Shape.ToArray());
    }

    public static void CheckPositive(string op, string name, int value)
    {
        if (value < 1) throw new ArgumentException($"{op}: {name} must be at least 1, got {value}");
    }

    public static void CheckPadding(string op, int value)
    {
        if (value < 0) throw new ArgumentException($"{op}: padding must be non-negative, got {value}");
    }

    /// <summary>Throws when the dilated kernel is larger than the padded input along one dim.</summary>
    public static void CheckFits(string op, string dim, int size, int totalPad, int kernel, int dilation, Tensor input, Tensor weight)
    {
        int extent = dilation * (kernel - 1) + 1;
        if (size + totalPad < extent)
            throw ShapeMismatchException.For(op,
                $"kernel {dim} {kernel} (dilated extent {extent}) is larger than the padded input {dim} {size + totalPad}",
                input.Shape.ToArray(), weight.Shape.ToArray());
    }

    /// <summary>y [N, Cout, outShape...] = conv(x, w) + b on contiguous operands.</summary>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, int[] outShape, ConvGeometry g)
    {
        int batch = input.Size(0), outChannels = weight.Size(0);
        if (input.DType == DType.Float32)
        {
            var y = StoragePool.Rent<float>(ShapeUtil.Numel(outShape));   // fully written by the kernel
            Convolution.Forward<float>(Mem<float>(input), Mem<float>(weight), bias is null ? default : Mem<float>(bias), y, batch, outChannels, g);
            return Tensor.Wrap(y, outShape);
        }
        else
        {
            var y = StoragePool.Rent<double>(ShapeUtil.Numel(outShape));
            Convolution.Forward<double>(Mem<double>(input), Mem<double>(weight), bias is null ? default : Mem<double>(bias), y, batch, outChannels, g);
            return Tensor.Wrap(y, outShape);
        }
    }

    /// <summary>Gradients w.r.t. input, weight and bias (null where not requested), shaped like them.</summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) Backward(Tensor input, Tensor weight, Tensor gradOutput,
        bool needInput, bool needWeight, bool needBias, ConvGeometry g)
    {
        var gy = gradOutput.ContiguousRaw();
        var gx = needInput ? Uninitialized(input) : null;   // fully written by the kernel
        var gw = needWeight ? Uninitialized(weight) : null;   // cleared by the kernel
        var gb = needBias ? OpBuffers.Uninitialized([weight.Size(0)], weight.DType) : null;
        int batch = input.Size(0), outChannels = weight.Size(0);
        if (input.DType == DType.Float32)
            Convolution.Backward<float>(Mem<float>(input), Mem<float>(weight), Mem<float>(gy),
                Out<float>(gx), Out<float>(gw), Out<float>(gb), batch, outChannels, g);
        else
            Convolution.Backward<double>(Mem<double>(input), Mem<double>(weight), Mem<double>(gy),
                Out<double>(gx), Out<double>(gw), Out<double>(gb), batch, outChannels, g);
        return (gx, gw, gb);
    }

    private static Tensor Uninitialized(Tensor like) => OpBuffers.Uninitialized(like.Shape.ToArray(), like.DType);

    /// <summary>The elements of a contiguous tensor.</summary>
    private static ReadOnlyMemory<T> Mem<T>(Tensor t) => new(t.Storage<T>(), t.Offset, t.Numel);

    private static Memory<T> Out<T>(Tensor? t) => t is null ? default : new(t.Storage<T>(), t.Offset, t.Numel);
}
