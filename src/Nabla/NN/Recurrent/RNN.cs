
namespace Nabla.NN;

/// <summary>
/// Elman RNN, h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) with act = tanh or ReLU (<paramref name="nonlinearity"/>),
/// stacked <see cref="RNNBase.NumLayers"/> deep; with <paramref name="singleBias"/> one bias b per layer,
/// h_t = act(x_t·W_ihᵀ + h_{t−1}·W_hhᵀ + b). Batch-first by default (PyTorch's default is time-major).
/// Shape: input [N, T, I] → output [N, T, H]; h_n [L, N, H] (see <see cref="RNNBase"/>).
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias per layer instead of PyTorch's b_ih and b_hh (see <see cref="RNNBase.SingleBias"/>)</param>
public sealed class RNN(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true,
    bool batchFirst = true, double dropout = 0, DType? dtype = null, Generator? generator = null, bool singleBias = false)
    : RNNBase(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, dtype, generator, singleBias)
{
    public RecurrentActivation Nonlinearity { get; } = RecurrentActivations.Parse(nonlinearity);

    protected override int GateCount => 1;

    protected override (Tensor Hidden, Tensor? Cells) RunLayer(Tensor inputProj, Tensor h0, Tensor? c0, Tensor weightHh, Tensor? biasHh) =>
        (inputProj.RnnLayer(h0, weightHh, biasHh, BatchFirst, Nonlinearity), null);

    protected override string ExtraRepr() => base.ExtraRepr() + $", nonlinearity={Nonlinearity.Name()}";
}
