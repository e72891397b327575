
namespace Nabla.NN;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b.
/// Shape: input [N, *, InFeatures] → output [N, *, OutFeatures]; Weight [OutFeatures, InFeatures], Bias [OutFeatures].
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Size of each input's last dim.</summary>
    public int InFeatures { get; }
    /// <summary>Size of each output's last dim.</summary>
    public int OutFeatures { get; }
    /// <summary>W [OutFeatures, InFeatures].</summary>
    public Tensor Weight { get; }
    /// <summary>b [OutFeatures]; null when built with bias: false.</summary>
    public Tensor? Bias { get; }

    /// <summary>Creates the layer (<c>nn.Linear</c>), initialised by <see cref="ResetParameters"/>.</summary>
    /// <param name="inFeatures">input features</param>
    /// <param name="outFeatures">output features</param>
    /// <param name="bias">whether to learn b (default true)</param>
    /// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
    /// <param name="generator">random source of the initial weights; null = the global generator</param>
    /// <exception cref="ArgumentException">a feature count ≤ 0</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType? dtype = null, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"Linear: feature counts must be positive, got in={inFeatures}, out={outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter(nameof(Weight), Tensor.Zeros([outFeatures, inFeatures], dtype));
        if (bias) Bias = RegisterParameter(nameof(Bias), Tensor.Zeros([outFeatures], dtype));
        ResetParameters(generator);
    }

    /// <summary>W ~ U(−1/√in, 1/√in) (PyTorch's default, Kaiming-uniform with a = √5); b = 0.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = 1 / Math.Sqrt(InFeatures);
        Init.Uniform_(Weight, -bound, bound, generator);
        if (Bias is not null) Init.Zeros_(Bias);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Linear(Weight, Bias);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={Bias is not null}";
}
