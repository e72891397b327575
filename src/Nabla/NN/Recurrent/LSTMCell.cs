using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>
/// One LSTM step as a module (gate order i, f, g, o): c' = f⊙c + i⊙g, h' = o⊙act(c') with act = tanh (PyTorch) or,
/// for textbook variants whose hidden state is ReLU(s)·q (s the cell state, q the output gate), ReLU.
/// Shape: input [N, I], state (h, c) each [N, H] (zeros when omitted) → (h', c') each [N, H].
/// </summary>
public sealed class LSTMCell(int inputSize, int hiddenSize, bool bias = true, RecurrentActivation cellActivation = RecurrentActivation.Tanh,
    DType dtype = DType.Float32, Generator? generator = null)
    : RNNCellBase(inputSize, hiddenSize, bias, 4, dtype, generator)
{
    public RecurrentActivation CellActivation { get; } = cellActivation;

    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;

    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (x, h, unbatched) = Prepare(input, state?.H);
        var (_, c, _) = Prepare(input, state?.C, "cx");
        var (h1, c1) = x.LstmCell(h, c, WeightIh, WeightHh, BiasIh, BiasHh, CellActivation);
        return unbatched ? (h1.Squeeze(0), c1.Squeeze(0)) : (h1, c1);
    }

    protected override string ExtraRepr() => base.ExtraRepr() + (CellActivation == RecurrentActivation.Tanh ? "" : $", cell_activation={CellActivation.Name()}");
}
