
namespace Nabla.NN;

/// <summary>
/// One Elman RNN step as a module: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act = tanh or ReLU; with
/// <paramref name="singleBias"/> the textbook h' = act(x·W_ihᵀ + h·W_hhᵀ + b) with one bias b [H] ("bias").
/// Shape: input [N, I], hx [N, H] (zeros when omitted) → h' [N, H].
/// </summary>
/// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
/// <param name="singleBias">one bias instead of PyTorch's b_ih and b_hh (see <see cref="RNNCellBase.SingleBias"/>)</param>
/// <param name="inputSize">features I of each input step</param>
/// <param name="hiddenSize">features H of the hidden state</param>
/// <param name="bias">whether to learn biases (default true)</param>
/// <param name="nonlinearity">the activation of the recurrence, tanh (default) or ReLU (PyTorch's nonlinearity)</param>
/// <param name="generator">random source of the initial weights (U(±1/√H)); null = the global generator</param>
public sealed class RNNCell(int inputSize, int hiddenSize, bool bias = true, RecurrentActivation nonlinearity = RecurrentActivation.Tanh,
    DType? dtype = null, Generator? generator = null, bool singleBias = false)
    : RNNCellBase(inputSize, hiddenSize, bias, 1, dtype, generator, singleBias)
{
    /// <summary>The activation of the recurrence (PyTorch's <c>nonlinearity</c>, default tanh).</summary>
    public RecurrentActivation Nonlinearity { get; } = Enum.IsDefined(nonlinearity) ? nonlinearity
        : throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "not a defined RecurrentActivation");

    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>One step: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) from <paramref name="input"/> [N, I] (or [I]) and <paramref name="hx"/> [N, H] (or [H]; null = zeros).</summary>
    /// <exception cref="ShapeMismatchException">input or state of the wrong shape</exception>
    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var (x, h, unbatched) = Prepare(input, hx);
        var y = x.RnnCell(h, WeightIh, WeightHh, BiasIh, BiasHh, Nonlinearity);
        return unbatched ? y.Squeeze(0) : y;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => base.ExtraRepr() + $", nonlinearity={Nonlinearity.Name()}";
}
