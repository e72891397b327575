
namespace Nabla.NN;

/// <summary>
/// Shared body of the single-step cells (PyTorch's nn.RNNCellBase): weight_ih [G·H, I], weight_hh [G·H, H],
/// bias_ih, bias_hh [G·H], all ~ U(−1/√H, 1/√H). With <see cref="SingleBias"/> (the textbooks' cell, one b in
/// act(W·x + U·h + b)) there is one bias [G·H] named "bias" instead of the pair; it is added with the input projection,
/// is exposed as <see cref="BiasIh"/>, and <see cref="BiasHh"/> is null.
/// Shape: input [N, I] (or unbatched [I]), state [N, H] (or [H]).
/// </summary>
public abstract class RNNCellBase : Module
{
    public int InputSize { get; }
    public int HiddenSize { get; }
    public Tensor WeightIh { get; }
    public Tensor WeightHh { get; }
    public Tensor? BiasIh { get; }
    public Tensor? BiasHh { get; }

    /// <summary>True when the cell has one bias (state key "bias", held in <see cref="BiasIh"/>) instead of
    /// PyTorch's b_ih and b_hh.</summary>
    public bool SingleBias { get; }

    protected RNNCellBase(int inputSize, int hiddenSize, bool bias, int gateCount, DType? dtype, Generator? generator, bool singleBias = false)
    {
        if (inputSize <= 0 || hiddenSize <= 0)
            throw new ArgumentException($"{GetType().Name}: inputSize and hiddenSize must be positive, got {inputSize}, {hiddenSize}");
        if (singleBias && !bias) throw new ArgumentException($"{GetType().Name}: singleBias requires bias = true");
        (InputSize, HiddenSize, SingleBias) = (inputSize, hiddenSize, singleBias);
        WeightIh = RegisterParameter(nameof(WeightIh), Tensor.Zeros([gateCount * hiddenSize, inputSize], dtype));
        WeightHh = RegisterParameter(nameof(WeightHh), Tensor.Zeros([gateCount * hiddenSize, hiddenSize], dtype));
        if (singleBias) BiasIh = RegisterParameter("bias", Tensor.Zeros([gateCount * hiddenSize], dtype));
        else if (bias)
        {
            BiasIh = RegisterParameter(nameof(BiasIh), Tensor.Zeros([gateCount * hiddenSize], dtype));
            BiasHh = RegisterParameter(nameof(BiasHh), Tensor.Zeros([gateCount * hiddenSize], dtype));
        }
        ResetParameters(generator);
    }

    /// <summary>Every weight and bias ~ U(−1/√H, 1/√H).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform_(p, -bound, bound, generator);
    }

    /// <summary>Batched view of an input and its state: unbatched [I] becomes [1, I]; a null state becomes zeros.</summary>
    protected (Tensor Input, Tensor State, bool Unbatched) Prepare(Tensor input, Tensor? state, string what = "hx")
    {
        bool unbatched = input.Rank == 1;
        if (input.Rank is not (1 or 2) || input.Size(-1) != InputSize)
            throw ShapeMismatchException.For(GetType().Name, $"input must be [N, input_size {InputSize}] or [{InputSize}]", input.Shape.ToArray());
        if (unbatched) input = input.Unsqueeze(0);
        if (state is null) state = Tensor.Zeros([input.Size(0), HiddenSize], input.DType);
        else if (unbatched) state = state.Unsqueeze(0);
        if (state.Rank != 2 || state.Size(0) != input.Size(0) || state.Size(1) != HiddenSize)
            throw ShapeMismatchException.For(GetType().Name, $"{what} must be [batch {input.Size(0)}, hidden {HiddenSize}]", state.Shape.ToArray());
        return (input, state, unbatched);
    }

    protected override string ExtraRepr() => $"{InputSize}, {HiddenSize}, bias={BiasIh is not null}" + (SingleBias ? ", single_bias=True" : "");
}
