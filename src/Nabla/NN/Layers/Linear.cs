
namespace Nabla.NN;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b.
/// Shape: input [N, *, InFeatures] → output [N, *, OutFeatures]; Weight [OutFeatures, InFeatures], Bias [OutFeatures].
/// </summary>
public sealed class Linear : Module
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

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

    public override Tensor Forward(Tensor input) => input.Linear(Weight, Bias);

    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={Bias is not null}";
}
