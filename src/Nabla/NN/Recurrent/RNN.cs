
namespace Nabla.NN;

/// <summary>
/// Elman RNN, h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) with act = tanh or ReLU (<paramref name="nonlinearity"/>),
/// stacked <see cref="RNNBase.NumLayers"/> deep; with <paramref name="singleBias"/> one bias b per layer,
/// h_t = act(x_t·W_ihᵀ + h_{t−1}·W_hhᵀ + b). Batch-first by default (PyTorch's default is time-major).
/// Shape: input [N, T, I] → output [N, T, H]; h_n [L, N, H] (see <see cref="RNNBase"/>).
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias per layer instead of PyTorch's b_ih and b_hh (see <see cref="RNNBase.SingleBias"/>)</param>
/// <param name="inputSize">features I of each input step</param>
/// <param name="hiddenSize">features H of the hidden state</param>
/// <param name="numLayers">stacked layers L (default 1)</param>
/// <param name="nonlinearity">the activation of the recurrence, tanh (default) or ReLU (PyTorch's nonlinearity)</param>
/// <param name="bias">whether to learn biases (default true)</param>
/// <param name="batchFirst">input and output are [N, T, ·] (default true; PyTorch defaults to false, [T, N, ·])</param>
/// <param name="dropout">dropout on the outputs of every layer but the last, in training (default 0)</param>
/// <param name="generator">random source of the initial weights (U(±1/√H)) and of the inter-layer dropout; null = the global generator</param>
public sealed class RNN(int inputSize, int hiddenSize, int numLayers = 1, RecurrentActivation nonlinearity = RecurrentActivation.Tanh, bool bias = true,
    bool batchFirst = true, double dropout = 0, DType? dtype = null, Generator? generator = null, bool singleBias = false)
    : RNNBase(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, dtype, generator, singleBias)
{
    /// <summary>The activation of the recurrence (PyTorch's <c>nonlinearity</c>, default tanh).</summary>
    public RecurrentActivation Nonlinearity { get; } = Enum.IsDefined(nonlinearity) ? nonlinearity
        : throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "not a defined RecurrentActivation");

    /// <inheritdoc/>
    protected override int GateCount => 1;

    /// <inheritdoc/>
    protected override (Tensor Hidden, Tensor? Cells) RunLayer(Tensor inputProj, Tensor h0, Tensor? c0, Tensor weightHh, Tensor? biasHh) =>
        (inputProj.RnnLayer(h0, weightHh, biasHh, BatchFirst, Nonlinearity), null);

    /// <inheritdoc/>
    protected override string ExtraRepr() => base.ExtraRepr() + $", nonlinearity={Nonlinearity.Name()}";
}
