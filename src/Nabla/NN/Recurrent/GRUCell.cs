using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>
/// One GRU step as a module (PyTorch's equations, see <see cref="GruCellOp"/>).
/// Shape: input [N, I], hx [N, H] (zeros when omitted) → h' [N, H].
/// </summary>
public sealed class GRUCell(int inputSize, int hiddenSize, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    : RNNCellBase(inputSize, hiddenSize, bias, 3, dtype, generator)
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
