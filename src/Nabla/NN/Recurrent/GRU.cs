
namespace Nabla.NN;

/// <summary>
/// Gated recurrent unit (PyTorch's nn.GRU, gate order r, z, n): r, z = σ(x_t·W_iᵀ + b_i + h_{t−1}·W_hᵀ + b_h),
/// n = tanh(x_t·W_inᵀ + b_in + r⊙(h_{t−1}·W_hnᵀ + b_hn)), h_t = (1−z)⊙n + z⊙h_{t−1}. With <paramref name="singleBias"/>
/// one bias per layer on the input side (b_h = 0; n = tanh(x_t·W_inᵀ + b_n + r⊙(h_{t−1}·W_hnᵀ)), see <see cref="GRUCell"/>).
/// Batch-first by default (PyTorch's default is time-major).
/// Shape: input [N, T, I] → output [N, T, H]; h_n [L, N, H] (see <see cref="RNNBase"/>).
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias per layer instead of PyTorch's b_ih and b_hh (see <see cref="RNNBase.SingleBias"/>)</param>
public sealed class GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = true,
    double dropout = 0, DType? dtype = null, Generator? generator = null, bool singleBias = false)
    : RNNBase(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, dtype, generator, singleBias)
{
    protected override int GateCount => 3;

    protected override (Tensor Hidden, Tensor? Cells) RunLayer(Tensor inputProj, Tensor h0, Tensor? c0, Tensor weightHh, Tensor? biasHh) =>
        (inputProj.GruLayer(h0, weightHh, biasHh, BatchFirst), null);
}
