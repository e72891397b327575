namespace Nabla;

/// <summary>
/// Squashing of an LSTM's cell candidate ("input unit") g = act(z_g), the value the input gate writes into the cell:
/// tanh in PyTorch (and Hochreiter &amp; Schmidhuber's modern form), σ in Goodfellow et al., <i>Deep Learning</i> §10.10.1
/// (s_t = f_t·s_{t−1} + g_t·σ(b + U·x_t + W·h_{t−1}), where their g_t is the input gate).
/// </summary>
public enum LstmCandidateActivation
{
    /// <summary>g = tanh(z_g) ∈ (−1, 1), PyTorch's nn.LSTM.</summary>
    Tanh,

    /// <summary>g = σ(z_g) ∈ (0, 1), the Deep Learning book's LSTM.</summary>
    Sigmoid,
}
