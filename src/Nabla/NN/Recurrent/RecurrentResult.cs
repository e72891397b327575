
namespace Nabla.NN;

/// <summary>
/// What a recurrent layer returns: <see cref="Output"/> = h_t of the last layer at every step ([N, T, H] batch-first,
/// else [T, N, H]), <see cref="HN"/> = h_T of every layer [L, N, H], <see cref="CN"/> = c_T of every layer (LSTM only),
/// and <see cref="CellStates"/> = c_t of the last layer at every step (LSTM only, laid out like Output).
/// Deconstructs as <c>var (output, hn, cn) = lstm.Run(x);</c>.
/// </summary>
public sealed record RecurrentResult(Tensor Output, Tensor HN, Tensor? CN = null, Tensor? CellStates = null)
{
    public void Deconstruct(out Tensor output, out Tensor hn, out Tensor? cn)
    {
        output = Output;
        hn = HN;
        cn = CN;
    }
}
