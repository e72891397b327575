
namespace Nabla.NN;

/// <summary>
/// One Elman RNN step as a module: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act = tanh or ReLU; with
/// <paramref name="singleBias"/> the textbook h' = act(x·W_ihᵀ + h·W_hhᵀ + b) with one bias b [H] ("bias").
/// Shape: input [N, I], hx [N, H] (zeros when omitted) → h' [N, H].
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias instead of PyTorch's b_ih and b_hh (see <see cref="RNNCellBase.SingleBias"/>)</param>
public sealed class RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh",
    DType? dtype = null, Generator? generator = null, bool singleBias = false)
    : RNNCellBase(inputSize, hiddenSize, bias, 1, dtype, generator, singleBias)
{
    public RecurrentActivation Nonlinearity { get; } = RecurrentActivations.Parse(nonlinearity);

    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var (x, h, unbatched) = Prepare(input, hx);
        var y = x.RnnCell(h, WeightIh, WeightHh, BiasIh, BiasHh, Nonlinearity);
        return unbatched ? y.Squeeze(0) : y;
    }

    protected override string ExtraRepr() => base.ExtraRepr() + $", nonlinearity={Nonlinearity.Name()}";
}
