using Nabla.NN;

namespace Nabla.Models;

/// <summary>How an <see cref="Autoencoder"/> is regularised.</summary>
public enum AutoencoderKind
{
    /// <summary>Plain reconstruction loss (under- or overcomplete by <see cref="AutoencoderOptions.CodeSize"/>).</summary>
    Basic,
    /// <summary>L1 penalty λ·Σ|h| on the code.</summary>
    Sparse,
    /// <summary>The encoder sees a corrupted x̂ (masking noise), the loss compares with the clean x.</summary>
    Denoising,
    /// <summary>Penalty λ·‖∂h/∂x‖_F² (closed form for a sigmoid encoder).</summary>
    Contractive,
}

/// <summary>Hyper-parameters of <see cref="Autoencoder"/>. <see cref="Weight"/> is λ of the sparse / contractive
/// penalty; <see cref="Corruption"/> the fraction of inputs zeroed for the denoising variant.</summary>
public sealed record AutoencoderOptions(
    int InputSize = 784,
    int CodeSize = 32,
    AutoencoderKind Kind = AutoencoderKind.Basic,
    string Activation = "sigmoid",
    double Weight = 0,
    double Corruption = 0,
    bool Bias = true)
{
    public AutoencoderOptions Validate()
    {
        if (InputSize <= 0 || CodeSize <= 0)
            throw new ArgumentException($"Autoencoder: sizes must be positive (input {InputSize}, code {CodeSize})");
        if (Weight < 0) throw new ArgumentException($"Autoencoder: penalty weight must be ≥ 0, got {Weight}");
        if (Corruption is < 0 or >= 1) throw new ArgumentException($"Autoencoder: corruption must be in [0, 1), got {Corruption}");
        if (Kind == AutoencoderKind.Contractive && Activation != "sigmoid")
            throw new ArgumentException($"Autoencoder: the contractive penalty's closed form needs a sigmoid encoder, got '{Activation}'");
        NN.Activation.FromName(Activation);
        return this;
    }

    /// <summary>Undercomplete when the code is narrower than the input.</summary>
    public bool Undercomplete => CodeSize < InputSize;
}

/// <summary>The parts of an autoencoder's per-batch objective (each a scalar tensor; Total carries the graph).</summary>
public readonly record struct AutoencoderLoss(Tensor Total, Tensor Reconstruction, Tensor Penalty);

/// <summary>
/// A one-hidden-layer autoencoder: code h = g(W·x + b), reconstruction x̃ = V·h + c (linear decoder; biases
/// optional). Objective per example: Σ_i (x̃_i − x_i)² plus, by <see cref="AutoencoderKind"/>, λ·Σ_j |h_j| (sparse),
/// λ·‖∂h/∂x‖_F² = λ·Σ_j (g'(a_j))²·Σ_i W_ji² (contractive; g = σ so g' = h(1 − h)), or nothing, with the encoder fed
/// a corrupted x̂ (denoising: each input zeroed with probability p). <see cref="Loss"/> averages over the batch.
/// Shape: x [N, InputSize] → h [N, CodeSize] → x̃ [N, InputSize]; Encoder.Weight = W [CodeSize, InputSize],
/// Decoder.Weight = V [InputSize, CodeSize].
/// </summary>
public sealed class Autoencoder : Module
{
    public AutoencoderOptions Options { get; }
    public Linear Encoder { get; }
    public Linear Decoder { get; }
    private readonly Module _activation;

    public Autoencoder(AutoencoderOptions options, DType? dtype = null, Generator? generator = null)
    {
        Options = options.Validate();
        Encoder = RegisterModule(nameof(Encoder), new Linear(options.InputSize, options.CodeSize, options.Bias, dtype, generator));
        Decoder = RegisterModule(nameof(Decoder), new Linear(options.CodeSize, options.InputSize, options.Bias, dtype, generator));
        _activation = NN.Activation.FromName(options.Activation);
    }

    /// <summary>h = g(W·x + b).</summary>
    public Tensor Encode(Tensor x) => _activation.Invoke(Encoder.Invoke(x));

    /// <summary>x̃ = V·h + c.</summary>
    public Tensor Decode(Tensor h) => Decoder.Invoke(h);

    /// <summary>x̃ = Decode(Encode(x)) (no corruption: that is applied by <see cref="Loss"/> in training mode).</summary>
    public override Tensor Forward(Tensor input) => Decode(Encode(input));

    /// <summary>Masking noise: each element kept with probability 1 − p, else set to 0 (no rescaling, unlike dropout).</summary>
    public static Tensor Corrupt(Tensor x, double p, Generator? generator = null)
    {
        if (p == 0) return x;
        var keep = Tensor.Rand(x.Shape.ToArray(), 0, 1, x.DType, generator).Ge(p);
        return x * keep;
    }

    /// <summary>
    /// The batch-mean objective (1/N)·Σ_n [Σ_i (x̃ − x)² + penalty]. The denoising variant corrupts the input only
    /// in training mode (in eval mode it reconstructs the given input, so its error is comparable to the others').
    /// </summary>
    public AutoencoderLoss Loss(Tensor x, Generator? generator = null)
    {
        int n = x.Size(0);
        var input = Options.Kind == AutoencoderKind.Denoising && Training ? Corrupt(x, Options.Corruption, generator) : x;
        var h = Encode(input);
        var recon = (Decode(h) - x).Square().Sum() / n;
        Tensor penalty = Options.Kind switch
        {
            AutoencoderKind.Sparse => h.Abs().Sum() * (Options.Weight / n),
            AutoencoderKind.Contractive => ContractivePenalty(h, Encoder.Weight).Sum() * (Options.Weight / n),
            _ => Tensor.Scalar(0, x.DType),
        };
        return new AutoencoderLoss(Options.Kind is AutoencoderKind.Sparse or AutoencoderKind.Contractive ? recon + penalty : recon, recon, penalty);
    }

    /// <summary>
    /// ‖∂h/∂x‖_F² per example for a sigmoid encoder h = σ(Wx + b): ∂h_j/∂x_i = h_j(1 − h_j)·W_ji, so
    /// ‖J‖_F² = Σ_j (h_j(1 − h_j))²·Σ_i W_ji². Shape: h [N, CodeSize], W [CodeSize, InputSize] → [N].
    /// </summary>
    public static Tensor ContractivePenalty(Tensor h, Tensor weight)
    {
        var slope = (h * (1.0 - h)).Square();                    // [N, CodeSize]
        var rowNorms = weight.Square().Sum(1);                     // [CodeSize]
        return (slope * rowNorms).Sum(1);
    }

    protected override string ExtraRepr() =>
        $"kind={Options.Kind}, code={Options.CodeSize}, activation={Options.Activation}" +
        (Options.Weight > 0 ? $", weight={Options.Weight}" : "") + (Options.Corruption > 0 ? $", corruption={Options.Corruption}" : "");
}
