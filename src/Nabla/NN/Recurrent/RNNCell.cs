using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>
/// One Elman RNN step as a module: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act = tanh or ReLU.
/// Shape: input [N, I], hx [N, H] (zeros when omitted) → h' [N, H].
/// </summary>
public sealed class RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh",
    DType dtype = DType.Float32, Generator? generator = null)
    : RNNCellBase(inputSize, hiddenSize, bias, 1, dtype, generator)
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
