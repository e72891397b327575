
namespace Nabla.NN;

/// <summary>
/// One LSTM step as a module (gate order i, f, g, o): c' = f⊙c + i⊙g, h' = o⊙act(c') with act = tanh (PyTorch) or,
/// for textbook variants whose hidden state is ReLU(s)·q (s the cell state, q the output gate), ReLU. The candidate
/// ("input unit") is g = tanh(z_g) (PyTorch) or σ(z_g) (<see cref="LstmCandidateActivation.Sigmoid"/>, Goodfellow et al.
/// §10.10.1); <paramref name="singleBias"/> gives the textbooks' one bias b [4H] per gate row instead of b_ih and b_hh.
/// Shape: input [N, I], state (h, c) each [N, H] (zeros when omitted) → (h', c') each [N, H].
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias instead of PyTorch's b_ih and b_hh (see <see cref="RNNCellBase.SingleBias"/>)</param>
/// <param name="candidateActivation">squashing of the candidate g: tanh (default, PyTorch) or σ (the Deep Learning book)</param>
public sealed class LSTMCell(int inputSize, int hiddenSize, bool bias = true, RecurrentActivation cellActivation = RecurrentActivation.Tanh,
    DType? dtype = null, Generator? generator = null, bool singleBias = false,
    LstmCandidateActivation candidateActivation = LstmCandidateActivation.Tanh)
    : RNNCellBase(inputSize, hiddenSize, bias, 4, dtype, generator, singleBias)
{
    public RecurrentActivation CellActivation { get; } = cellActivation;

    /// <summary>Squashing of the cell candidate g (tanh unless the Deep Learning book's σ was chosen).</summary>
    public LstmCandidateActivation CandidateActivation { get; } = candidateActivation;

    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;

    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (x, h, unbatched) = Prepare(input, state?.H);
        var (_, c, _) = Prepare(input, state?.C, "cx");
        var (h1, c1) = x.LstmCell(h, c, WeightIh, WeightHh, BiasIh, BiasHh, CellActivation, CandidateActivation);
        return unbatched ? (h1.Squeeze(0), c1.Squeeze(0)) : (h1, c1);
    }

    protected override string ExtraRepr() => base.ExtraRepr()
        + (CellActivation == RecurrentActivation.Tanh ? "" : $", cell_activation={CellActivation.Name()}")
        + (CandidateActivation == LstmCandidateActivation.Tanh ? "" : ", candidate_activation=sigmoid");
}
