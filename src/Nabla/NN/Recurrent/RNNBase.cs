
namespace Nabla.NN;

/// <summary>
/// Shared body of <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> (PyTorch's nn.RNNBase): per layer k the
/// parameters weight_ih_l{k} [G·H, in_k], weight_hh_l{k} [G·H, H], bias_ih_l{k}, bias_hh_l{k} [G·H] (G = 1, 4, 3;
/// in_0 = InputSize, in_k = H above), all initialised U(−1/√H, 1/√H); layers are stacked, each one's output sequence
/// feeding the next (with dropout between layers in training when <see cref="Dropout"/> &gt; 0). With
/// <see cref="SingleBias"/> each layer has one bias bias_l{k} [G·H] (the textbooks' act(W·x + U·h + b)) instead of the
/// pair; it is added with the input projection, <see cref="BiasIh"/> returns it and <see cref="BiasHh"/> returns null.
/// Each layer runs as one input-projection GEMM over all steps (x·W_ihᵀ + b_ih) plus one fused sequence op.
/// Shape: input [N, T, InputSize] when <see cref="BatchFirst"/> (this library's default, unlike PyTorch) else
/// [T, N, InputSize]; an unbatched [T, InputSize] is also accepted. h0 (and c0) [L, N, H] or [L, H] unbatched.
/// </summary>
public abstract class RNNBase : Module
{
    private readonly Tensor[] _weightIh, _weightHh;
    private readonly Tensor?[] _biasIh, _biasHh;

    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool Bias { get; }
    public bool BatchFirst { get; }

    /// <summary>True when each layer has one bias (bias_l{k}, returned by <see cref="BiasIh"/>) instead of b_ih and b_hh.</summary>
    public bool SingleBias { get; }

    /// <summary>Dropout probability on the outputs of every layer but the last (training only), like PyTorch's dropout.</summary>
    public double Dropout { get; }

    /// <summary>Random source of the inter-layer dropout (the default generator when null).</summary>
    public Generator? Generator { get; set; }

    protected abstract int GateCount { get; }

    protected RNNBase(int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst, double dropout, DType? dtype, Generator? generator,
        bool singleBias = false)
    {
        string name = GetType().Name;
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0)
            throw new ArgumentException($"{name}: inputSize, hiddenSize and numLayers must be positive, got {inputSize}, {hiddenSize}, {numLayers}");
        if (dropout is < 0 or >= 1) throw new ArgumentException($"{name}: dropout must be in [0, 1), got {dropout}");
        if (singleBias && !bias) throw new ArgumentException($"{name}: singleBias requires bias = true");
        (InputSize, HiddenSize, NumLayers, Bias, BatchFirst, Dropout, SingleBias) = (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, singleBias);
        int g = GateCount * hiddenSize;
        _weightIh = new Tensor[numLayers];
        _weightHh = new Tensor[numLayers];
        _biasIh = new Tensor?[numLayers];
        _biasHh = new Tensor?[numLayers];
        for (int k = 0; k < numLayers; k++)
        {
            _weightIh[k] = RegisterParameter($"weight_ih_l{k}", Tensor.Zeros([g, k == 0 ? inputSize : hiddenSize], dtype));
            _weightHh[k] = RegisterParameter($"weight_hh_l{k}", Tensor.Zeros([g, hiddenSize], dtype));
            if (singleBias) _biasIh[k] = RegisterParameter($"bias_l{k}", Tensor.Zeros([g], dtype));
            else if (bias)
            {
                _biasIh[k] = RegisterParameter($"bias_ih_l{k}", Tensor.Zeros([g], dtype));
                _biasHh[k] = RegisterParameter($"bias_hh_l{k}", Tensor.Zeros([g], dtype));
            }
        }
        ResetParameters(generator);
    }

    /// <summary>weight_ih_l{k} [G·H, in_k].</summary>
    public Tensor WeightIh(int layer) => _weightIh[layer];
    public Tensor WeightHh(int layer) => _weightHh[layer];

    /// <summary>bias_ih_l{k} [G·H], or the single bias_l{k} when <see cref="SingleBias"/>; null without bias.</summary>
    public Tensor? BiasIh(int layer) => _biasIh[layer];

    /// <summary>bias_hh_l{k} [G·H]; null without bias or with <see cref="SingleBias"/>.</summary>
    public Tensor? BiasHh(int layer) => _biasHh[layer];

    /// <summary>Every weight and bias ~ U(−1/√H, 1/√H) (PyTorch's reset_parameters).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform_(p, -bound, bound, generator);
    }

    /// <summary>The output sequence of the last layer (see <see cref="Run"/> for the final states).</summary>
    public override Tensor Forward(Tensor input) => Run(input).Output;

    /// <summary>Runs every layer over the sequence from h0 (and c0 for LSTM; zeros when null).</summary>
    public RecurrentResult Run(Tensor input, Tensor? h0 = null, Tensor? c0 = null)
    {
        string name = GetType().Name;
        bool unbatched = input.Rank == 2;
        if (input.Rank is not (2 or 3) || input.Size(-1) != InputSize)
            throw ShapeMismatchException.For(name, $"input must be [{(BatchFirst ? "N, T" : "T, N")}, input_size {InputSize}] or unbatched [T, {InputSize}]", input.Shape.ToArray());
        if (c0 is not null && GateCount != 4) throw new ArgumentException($"{name}: c0 is only for LSTM");
        if (unbatched)
        {
            input = input.Unsqueeze(BatchFirst ? 0 : 1);
            h0 = h0?.Unsqueeze(1);
            c0 = c0?.Unsqueeze(1);
        }
        int n = input.Size(BatchFirst ? 0 : 1), timeDim = BatchFirst ? 1 : 0;
        h0 = CheckInitial(name, "h0", h0, n, input.DType);
        c0 = GateCount == 4 ? CheckInitial(name, "c0", c0, n, input.DType) : null;
        var x = input;
        var hn = new Tensor[NumLayers];
        var cn = new Tensor[NumLayers];
        Tensor? cells = null;
        for (int k = 0; k < NumLayers; k++)
        {
            if (k > 0 && Dropout > 0 && Training) x = x.Dropout(Dropout, true, Generator);
            var proj = x.Linear(_weightIh[k], _biasIh[k]);                          // [N, T, G·H] or [T, N, G·H]
            (x, cells) = RunLayer(proj, h0.Select(0, k), c0?.Select(0, k), _weightHh[k], _biasHh[k]);
            int last = x.Size(timeDim) - 1;
            hn[k] = x.Select(timeDim, last);
            if (cells is not null) cn[k] = cells.Select(timeDim, last);
        }
        var hN = Tensor.Stack(hn, 0);                                               // [L, N, H]
        var cN = cells is null ? null : Tensor.Stack(cn, 0);
        if (unbatched)
            return new RecurrentResult(x.Squeeze(timeDim == 1 ? 0 : 1), hN.Squeeze(1), cN?.Squeeze(1), cells?.Squeeze(timeDim == 1 ? 0 : 1));
        return new RecurrentResult(x, hN, cN, cells);
    }

    /// <summary>One layer from its input projections: (h_t at every step, c_t at every step or null).</summary>
    protected abstract (Tensor Hidden, Tensor? Cells) RunLayer(Tensor inputProj, Tensor h0, Tensor? c0, Tensor weightHh, Tensor? biasHh);

    private Tensor CheckInitial(string name, string what, Tensor? s, int n, DType dtype)
    {
        if (s is null) return Tensor.Zeros([NumLayers, n, HiddenSize], dtype);
        if (s.Rank != 3 || s.Size(0) != NumLayers || s.Size(1) != n || s.Size(2) != HiddenSize)
            throw ShapeMismatchException.For(name, $"{what} must be [num_layers {NumLayers}, batch {n}, hidden {HiddenSize}]", s.Shape.ToArray());
        return s;
    }

    protected override string ExtraRepr() =>
        $"{InputSize}, {HiddenSize}, num_layers={NumLayers}, bias={Bias}, batch_first={BatchFirst}" + (Dropout > 0 ? $", dropout={Dropout}" : "")
        + (SingleBias ? ", single_bias=True" : "");
}
