using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// y[n, co, t] = b[co] + Σ_{ci, k} w[co, ci, k] · x[n, ci, t·s − padLeft + k·d] (cross-correlation, zero padding).
/// It is <see cref="Conv2dOp"/> with H = 1: ∂L/∂W = Σ_n ∂L/∂Y[n]·col(x[n])ᵀ, ∂L/∂x[n] = col2im(Wᵀ·∂L/∂Y[n]),
/// ∂L/∂b[co] = Σ_{n, t} ∂L/∂y[n, co, t].
/// </summary>
/// <remarks>Shapes: x [N, Cin, L] (or unbatched [Cin, L]), w [Cout, Cin, k], b [Cout], y [N, Cout, OutL] with
/// OutL = ⌊(L + padLeft + padRight − d·(k − 1) − 1) / s⌋ + 1.</remarks>
internal sealed class Conv1dOp : Node
{
    private const string Op = "Conv1d";
    private Tensor _input = null!, _weight = null!;
    private ConvGeometry _geometry;
    private protected override Tensor?[] Saved => [NeedsGrad(1) ? _input : null, NeedsGrad(0) ? _weight : null];

    /// <summary>padding: an int (both ends), "same" (stride 1; the odd extra element on the right) or "valid";
    /// a two- or four-sided <see cref="ConvPadding"/> is rejected (it has no meaning in 1-d).</summary>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, int stride, ConvPadding padding, int dilation)
    {
        if (input.Rank == 2 && weight.Rank == 3)   // unbatched [Cin, L]
        {
            var y2 = Forward(input.Reshape([1, .. input.Shape]), weight, bias, stride, padding, dilation);
            return y2.Reshape(y2.Shape[1..].ToArray());
        }
        ConvCore.CheckTensors(Op, input, weight, bias, 1);
        ConvCore.CheckPositive(Op, "stride", stride);
        ConvCore.CheckPositive(Op, "dilation", dilation);
        if (padding.Mode is null && !(padding.Top == padding.Bottom && padding.Left == padding.Right && padding.Top == padding.Left))
            throw new ArgumentException($"{Op}: padding must be an int or \"same\"/\"valid\", got {padding}");
        if (padding.IsSame && stride != 1) throw new ArgumentException($"{Op}: padding \"same\" requires stride 1, got stride {stride}");
        int k = weight.Size(2), len = input.Size(2);
        var (_, _, left, right) = padding.Resolve(1, 1, dilation, k);
        ConvCore.CheckPadding(Op, Math.Min(left, right));
        if (k < 1) throw ShapeMismatchException.For(Op, "the kernel must not be empty", input.Shape.ToArray(), weight.Shape.ToArray());
        ConvCore.CheckFits(Op, "length", len, left + right, k, dilation, input, weight);
        var g = ConvGeometry.Create(input.Size(1), 1, len, 1, k, 1, stride, 0, 0, left, right, 1, dilation);
        var x = input.ContiguousRaw();
        var w = weight.ContiguousRaw();
        var y = ConvCore.Forward(x, w, bias?.ContiguousRaw(), [input.Size(0), weight.Size(0), g.OutW], g);
        return new Conv1dOp { _input = x.Detach(), _weight = w.Detach(), _geometry = g }.Record(y, input, weight, bias);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var (gx, gw, gb) = ConvCore.Backward(_input, _weight, gradOutput, NeedsGrad(0), NeedsGrad(1), NeedsGrad(2), _geometry);
        return [gx, gw, gb];
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>1-d convolution (PyTorch's <c>conv1d</c>, no groups): input [N, Cin, L], weight [Cout, Cin, k],
        /// optional bias [Cout] → [N, Cout, OutL]. <paramref name="padding"/> takes the forms of
        /// <see cref="Conv2d"/>'s: an int (both ends, default 0), <c>"same"</c> (stride 1) or <c>"valid"</c>.
        /// See <see cref="Conv1dOp"/> for the formula and its derivatives.</summary>
        public Tensor Conv1d(Tensor weight, Tensor? bias = null, int stride = 1, ConvPadding? padding = null, int dilation = 1) =>
            Conv1dOp.Forward(input, weight, bias, stride, padding ?? 0, dilation);
    }
}
