using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// Batch normalisation over x of shape [N, C, *] (C channels; statistics over the M = N·Π* values of each channel):
/// x̂ = (x − μ)·invStd, invStd = 1/√(σ² + ε), y = γ·x̂ + β.
/// Training: μ, σ² are the batch mean and biased variance. ∂L/∂x = (γ·invStd/M)·(M·g − Σg − x̂·Σ(g·x̂)).
/// Eval: μ, σ² are the running statistics, so y is affine in x: ∂L/∂x = γ·invStd·g.
/// Both modes: ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g (sums over N and *).
/// </summary>
/// <remarks>
/// In training the running statistics (when given) are updated in place:
/// running ← (1 − momentum)·running + momentum·batch, using the unbiased variance σ²·M/(M − 1) (as PyTorch).
/// They are buffers, never differentiated.
/// </remarks>
internal sealed class BatchNormOp : Node
{
    private Tensor _xHat = null!;        // [N, C, *] normalised input
    private bool _ownsXHat;              // x̂ has its own buffer (affine BN), not the output's
    private Array _invStd = null!;       // [C] as T[]
    private Array? _weight;              // [C] as T[] (γ), null when not affine
    private bool _training;
    private protected override Tensor?[] Saved => [_xHat];

    public static Tensor Forward(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum = 0.1, double eps = 1e-5)
    {
        var (n, c, s) = Check(x, runningMean, runningVar, weight, bias, training, eps);
        bool record = Node.WillRecord(x, weight, bias);
        var node = new BatchNormOp { _training = training };
        var y = x.DType == DType.Float32
            ? Run<float>(node, x, runningMean, runningVar, weight, bias, training, momentum, eps, record, n, c, s)
            : Run<double>(node, x, runningMean, runningVar, weight, bias, training, momentum, eps, record, n, c, s);
        return node.Record(y, x, weight, bias);
    }

    /// <summary>
    /// Eval-mode batch normalisation written over <paramref name="x"/> itself, rectified in the same pass when
    /// <paramref name="relu"/>: the same arithmetic as <see cref="Forward"/> followed by a ReLU, without the two
    /// output buffers. For a caller that owns x (a fresh, contiguous output nobody else holds) and records no graph:
    /// <c>Sequential</c>'s no-grad forward.
    /// </summary>
    internal static void EvalInPlace(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, double eps, bool relu)
    {
        var (n, c, s) = Check(x, runningMean, runningVar, weight, bias, training: false, eps);
        if (!x.IsContiguous || GradMode.IsEnabled) throw new InvalidOperationException("BatchNorm: in place only on a contiguous tensor without gradients");
        if (x.DType == DType.Float32) Run<float>(null, x, runningMean, runningVar, weight, bias, false, 0, eps, false, n, c, s, into: x, relu: relu);
        else Run<double>(null, x, runningMean, runningVar, weight, bias, false, 0, eps, false, n, c, s, into: x, relu: relu);
    }

    /// <summary>Validates the arguments of a batch normalisation; returns N, C and the spatial size S of x.</summary>
    private static (int N, int C, int S) Check(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, bool training, double eps)
    {
        const string op = "BatchNorm";
        Dispatch.Floating(op, x);
        if (x.Rank < 2) throw ShapeMismatchException.For(op, "expects an input of shape [N, C, *] (rank ≥ 2)", x.Shape.ToArray());
        int n = x.Shape[0], c = x.Shape[1], s = x.Numel / Math.Max(n * c, 1);
        foreach (var (t, name) in new[] { (runningMean, "runningMean"), (runningVar, "runningVar"), (weight, "weight"), (bias, "bias") })
        {
            if (t is null) continue;
            if (t.Rank != 1 || t.Shape[0] != c)
                throw ShapeMismatchException.For(op, $"{name} must have shape [{c}] (one value per channel of the input)", x.Shape.ToArray(), t.Shape.ToArray());
            Dispatch.SameDType(op, x, t);
        }
        if (eps <= 0) throw new ArgumentOutOfRangeException(nameof(eps), $"{op}: eps must be positive, got {eps}");
        if (training && n * s <= 1)
            throw new ArgumentException($"{op}: expected more than 1 value per channel when training (input shape {ShapeUtil.Format(x.Shape)})");
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException($"{op}: eval mode needs runningMean and runningVar");
        return (n, c, s);
    }

    /// <summary>y = the normalisation of x, into a new buffer or into <paramref name="into"/> (x itself).</summary>
    private static Tensor Run<T>(BatchNormOp? node, Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum, double eps, bool record, int n, int c, int s, Tensor? into = null, bool relu = false)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var xs = Mem<T>(x.ContiguousRaw());
        var mean = new T[c];
        var var = new T[c];
        if (training)
        {
            BatchNormKernel.MeanVar<T>(xs, n, c, s, mean, var);
            UpdateRunning(runningMean, runningVar, mean, var, momentum, n * s);
        }
        else
        {
            runningMean!.ToArray<T>().CopyTo(mean, 0);
            runningVar!.ToArray<T>().CopyTo(var, 0);
        }
        var invStd = new T[c];
        T e = T.CreateChecked(eps);
        for (int ch = 0; ch < c; ch++) invStd[ch] = T.One / T.Sqrt(var[ch] + e);

        var w = weight?.ToArray<T>();
        var b = bias?.ToArray<T>();
        var y = into ?? OpBuffers.Uninitialized(x.Shape.ToArray(), x.DType);
        // Without an affine map y is x̂ itself, so it doubles as the saved x̂.
        bool separate = record && (w is not null || b is not null);
        var xHat = separate ? OpBuffers.Uninitialized(x.Shape.ToArray(), x.DType) : y;
        BatchNormKernel.Normalize<T>(xs, n, c, s, mean, invStd, w, b, separate ? Mem<T>(xHat) : default, Mem<T>(y), relu);
        if (record && node is not null)
        {
            node._xHat = xHat.Detach();
            node._ownsXHat = separate;
            node._invStd = invStd;
            node._weight = w;
        }
        return y;
    }

    /// <summary>The elements of a contiguous tensor, as memory (the kernel may split them between threads).</summary>
    private static Memory<T> Mem<T>(Tensor t) =>
        t.IsContiguous ? new(t.Storage<T>(), t.Offset, t.Numel) : throw new NablaException($"BatchNorm: internal tensor of shape {ShapeUtil.Format(t.Shape)} is not contiguous");

    /// <summary>running ← (1 − m)·running + m·batch; the variance uses the unbiased σ²·M/(M − 1).</summary>
    private static void UpdateRunning<T>(Tensor? runningMean, Tensor? runningVar, T[] mean, T[] var, double momentum, int m)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        T mom = T.CreateChecked(momentum), keep = T.One - mom, unbias = T.CreateChecked((double)m / (m - 1));
        if (runningMean is not null)
        {
            var r = runningMean.ToArray<T>();
            for (int i = 0; i < r.Length; i++) r[i] = keep * r[i] + mom * mean[i];
            runningMean.CopyFrom_(Tensor.Wrap(r, r.Length));
        }
        if (runningVar is not null)
        {
            var r = runningVar.ToArray<T>();
            for (int i = 0; i < r.Length; i++) r[i] = keep * r[i] + mom * var[i] * unbias;
            runningVar.CopyFrom_(Tensor.Wrap(r, r.Length));
        }
    }

    /// <summary>A separate x̂ buffer is read only by this node's backward: back to the pool once it has run.</summary>
    private protected override void OnRelease()
    {
        if (_ownsXHat) StoragePool.Return(_xHat.StorageKey, "the normalised input x̂ saved by BatchNormBackward, recycled when its node was released");
        _ownsXHat = false;
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => _xHat.DType == DType.Float32
        ? BackwardCore<float>(gradOutput)
        : BackwardCore<double>(gradOutput);

    private Tensor?[] BackwardCore<T>(Tensor gradOutput) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var shape = _xHat.Shape.ToArray();
        int n = shape[0], c = shape[1], s = _xHat.Numel / Math.Max(n * c, 1);
        var g = Mem<T>(gradOutput.ContiguousRaw());
        var xHat = Mem<T>(_xHat);
        var invStd = (T[])_invStd;
        var gamma = (T[]?)_weight;
        var sumG = new T[c];
        var sumGX = new T[c];
        bool needSums = NeedsGrad(1) || NeedsGrad(2) || (NeedsGrad(0) && _training);
        if (needSums) BatchNormKernel.GradSums<T>(g, xHat, n, c, s, sumG, sumGX);

        Tensor? dx = null;
        if (NeedsGrad(0))
        {
            var scale = new T[c];   // γ·invStd
            for (int ch = 0; ch < c; ch++) scale[ch] = (gamma is null ? T.One : gamma[ch]) * invStd[ch];
            dx = OpBuffers.Uninitialized(shape, _xHat.DType);
            if (_training) BatchNormKernel.BackwardTraining<T>(g, xHat, n, c, s, scale, sumG, sumGX, Mem<T>(dx));
            else BatchNormKernel.ScaleChannels<T>(g.Span, n, c, s, scale, dx.AsSpan<T>());
        }
        return
        [
            dx,
            NeedsGrad(1) ? Tensor.Wrap(sumGX, c) : null,   // ∂L/∂γ = Σ g·x̂
            NeedsGrad(2) ? Tensor.Wrap(sumG, c) : null,    // ∂L/∂β = Σ g
        ];
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>
        /// Functional batch normalisation of [N, C, *] (like <c>F.batch_norm</c>): batch statistics in training
        /// (updating <paramref name="runningMean"/>/<paramref name="runningVar"/> in place when given), running
        /// statistics in eval; optional affine <paramref name="weight"/> (γ) and <paramref name="bias"/> (β), shape [C].
        ///  Training-mode derivatives with x̂ = (x − μ)/σ over the reduced dims (m elements): ∂L/∂x = (γ/σ)(g − mean(g) − x̂·mean(g·x̂)), ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g; in eval mode the affine map with the running statistics.</summary>
        public Tensor BatchNorm(Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
            bool training = false, double momentum = 0.1, double eps = 1e-5) =>
            BatchNormOp.Forward(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }
}
