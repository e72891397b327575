
namespace Nabla.NN;

/// <summary>
/// Long short-term memory (PyTorch's nn.LSTM, gate order i, f, g, o): i, f, o = σ(·), g = tanh(·) of
/// x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh; c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙act(c_t), act = tanh unless
/// <see cref="CellActivation"/> says ReLU. The candidate g is σ(·) instead with <see cref="LstmCandidateActivation.Sigmoid"/>
/// (Goodfellow et al. §10.10.1), and <paramref name="singleBias"/> gives one bias per layer instead of b_ih and b_hh.
/// Batch-first by default (PyTorch's default is time-major).
/// Shape: input [N, T, I] → output [N, T, H]; h_n, c_n [L, N, H]; per-step cell states in
/// <see cref="RecurrentResult.CellStates"/> (see <see cref="RNNBase"/>).
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias per layer instead of PyTorch's b_ih and b_hh (see <see cref="RNNBase.SingleBias"/>)</param>
/// <param name="candidateActivation">squashing of the candidate g: tanh (default, PyTorch) or σ (the Deep Learning book)</param>
public sealed class LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = true,
    double dropout = 0, RecurrentActivation cellActivation = RecurrentActivation.Tanh, DType? dtype = null, Generator? generator = null,
    bool singleBias = false, LstmCandidateActivation candidateActivation = LstmCandidateActivation.Tanh)
    : RNNBase(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, dtype, generator, singleBias)
{
    public RecurrentActivation CellActivation { get; } = cellActivation;

    /// <summary>Squashing of the cell candidate g (tanh unless the Deep Learning book's σ was chosen).</summary>
    public LstmCandidateActivation CandidateActivation { get; } = candidateActivation;

    protected override int GateCount => 4;

    protected override (Tensor Hidden, Tensor? Cells) RunLayer(Tensor inputProj, Tensor h0, Tensor? c0, Tensor weightHh, Tensor? biasHh) =>
        inputProj.LstmLayer(h0, c0!, weightHh, biasHh, BatchFirst, CellActivation, CandidateActivation);

    protected override string ExtraRepr() => base.ExtraRepr()
        + (CellActivation == RecurrentActivation.Tanh ? "" : $", cell_activation={CellActivation.Name()}")
        + (CandidateActivation == LstmCandidateActivation.Tanh ? "" : ", candidate_activation=sigmoid");
}
