
namespace Nabla.NN;

/// <summary>
/// One GRU step as a module (PyTorch's equations, see <see cref="GruCellOp"/>). With <paramref name="singleBias"/> one
/// bias b = [b_r | b_z | b_n] [3H] ("bias") sits on the input side: r = σ(x·W_irᵀ + h·W_hrᵀ + b_r), likewise z, and
/// n = tanh(x·W_inᵀ + b_n + r⊙(h·W_hnᵀ)) — the bias outside the reset product, as in Cho et al. (2014).
/// Shape: input [N, I], hx [N, H] (zeros when omitted) → h' [N, H].
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias instead of PyTorch's b_ih and b_hh (see <see cref="RNNCellBase.SingleBias"/>)</param>
public sealed class GRUCell(int inputSize, int hiddenSize, bool bias = true, DType? dtype = null, Generator? generator = null,
    bool singleBias = false)
    : RNNCellBase(inputSize, hiddenSize, bias, 3, dtype, generator, singleBias)
{
    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var (x, h, unbatched) = Prepare(input, hx);
        var y = x.GruCell(h, WeightIh, WeightHh, BiasIh, BiasHh);
        return unbatched ? y.Squeeze(0) : y;
    }
}
