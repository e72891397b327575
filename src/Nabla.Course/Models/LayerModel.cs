
namespace Nabla.Course.Models;

/// <summary>
/// What the explicit-backprop models of the EECS 498 homework share: the parameter dictionary (W1, b1, …), weight
/// initialisation W ~ N(0, weight_scale²) with zero biases, the model dtype, and L2 regularisation of the weight
/// matrices only (not biases, γ or β), as the homework defines it:
/// loss += ½·reg·Σ_k ‖W_k‖², hence ∂loss/∂W_k += reg·W_k.
/// </summary>
/// <remarks>The forward passes read every parameter from <see cref="Params"/> at each call, so an optimizer may replace
/// the tensors there as well as update them in place. Inputs of another dtype are converted to <see cref="DType"/>
/// (like the homework's <c>X.astype(self.dtype)</c>).</remarks>
public abstract class LayerModel : ILossModel
{
    private readonly Dictionary<string, Tensor> _params = [];

    protected LayerModel(double weightScale, double reg, DType dtype, Generator generator)
    {
        if (!(weightScale >= 0) || double.IsInfinity(weightScale))
            throw new ArgumentOutOfRangeException(nameof(weightScale), $"{GetType().Name}: weightScale must be finite and ≥ 0, got {weightScale}");
        if (!(reg >= 0) || double.IsInfinity(reg))
            throw new ArgumentOutOfRangeException(nameof(reg), $"{GetType().Name}: reg must be finite and ≥ 0, got {reg}");
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"{GetType().Name}: dtype must be float32 or float64, got {dtype.Name()}", nameof(dtype));
        WeightScale = weightScale;
        Reg = reg;
        DType = dtype;
        Generator = generator;
    }

    /// <summary>Parameters by name, in creation order.</summary>
    public IDictionary<string, Tensor> Params => _params;

    /// <summary>Training state no gradient reaches (batch norm's running statistics); none unless a model has it.</summary>
    public virtual IEnumerable<Tensor> State => [];

    /// <summary>L2 strength: the loss includes ½·reg·Σ‖W‖² over the weight matrices.</summary>
    public double Reg { get; }

    /// <summary>Standard deviation of the initial weights.</summary>
    public double WeightScale { get; }

    /// <summary>Dtype of every parameter and of the computation.</summary>
    public DType DType { get; }

    /// <summary>The generator the weights were drawn from (and dropout masks, unless a fixed dropout seed is set).</summary>
    protected Generator Generator { get; }

    /// <summary>Names of the parameters that are regularised (the weight matrices and filters).</summary>
    protected List<string> WeightNames { get; } = [];

    public abstract Tensor Scores(Tensor x);

    public abstract (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y);

    /// <summary>Registers W{index} ~ N(0, weightScale²) of <paramref name="shape"/> (regularised) and b{index} = 0 of [<paramref name="biasSize"/>].</summary>
    protected void AddLayer(int index, int[] shape, int biasSize)
    {
        foreach (int s in shape)
            if (s <= 0) throw new ArgumentOutOfRangeException(nameof(shape), $"{GetType().Name}: layer {index} has a non-positive size in {ShapeUtil.Format(shape)}");
        _params[$"W{index}"] = Tensor.Randn(shape, 0, WeightScale, DType, Generator);
        _params[$"b{index}"] = Tensor.Zeros([biasSize], DType);
        WeightNames.Add($"W{index}");
    }

    /// <summary>Registers γ{index} = 1 and β{index} = 0 of [<paramref name="size"/>] (batch norm scale and shift).</summary>
    protected void AddNorm(int index, int size)
    {
        _params[$"gamma{index}"] = Tensor.Ones([size], DType);
        _params[$"beta{index}"] = Tensor.Zeros([size], DType);
    }

    /// <summary>The parameter called <paramref name="name"/>, checked to still have the model's dtype.</summary>
    protected Tensor P(string name)
    {
        if (!_params.TryGetValue(name, out var t)) throw new InvalidOperationException($"{GetType().Name}: parameter {name} is missing from Params");
        if (t.DType != DType) throw new InvalidOperationException($"{GetType().Name}: parameter {name} has dtype {t.DType.Name()}, the model {DType.Name()}");
        return t;
    }

    /// <summary>x in the model's dtype (a converted copy when it differs), with its leading batch dimension checked.</summary>
    protected Tensor Input(Tensor x, int[] exampleShape)
    {
        int d = 1;
        for (int i = 1; i < x.Rank; i++) d *= x.Shape[i];
        int expected = exampleShape.Aggregate(1, (a, b) => a * b);
        if (x.Rank < 2 || d != expected || exampleShape.Length > 1 && !x.Shape[1..].SequenceEqual(exampleShape))
            throw new ArgumentException($"{GetType().Name}: x must be [N, {string.Join(", ", exampleShape)}]{(exampleShape.Length == 1 ? " (or [N, …] with that many values per example)" : "")}, got {ShapeUtil.Format(x.Shape)}", nameof(x));
        if (x.DType == DType) return x;
        using var _ = GradMode.NoGrad();
        return x.To(DType);
    }

    /// <summary>Adds ½·reg·Σ‖W‖² to <paramref name="loss"/> and reg·W to each weight's gradient (in place).</summary>
    protected double Regularize(double loss, Dictionary<string, Tensor> grads)
    {
        if (Reg == 0) return loss;
        foreach (var name in WeightNames)
        {
            var w = P(name);
            var values = w.ToDoubleArray();
            loss += 0.5 * Reg * values.Sum(v => v * v);
            var g = grads[name].ToDoubleArray();
            for (int i = 0; i < g.Length; i++) g[i] += Reg * values[i];
            grads[name] = DType == DType.Float64 ? Tensor.Wrap(g, w.Shape.ToArray()) : Tensor.Wrap(Array.ConvertAll(g, v => (float)v), w.Shape.ToArray());
        }
        return loss;
    }
}
