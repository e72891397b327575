using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// A linear autoencoder x̂ = W_dec·(W_enc·x + b_enc) + b_dec with code size k and no non-linearity. Untied: W_enc [k, D]
/// and W_dec [D, k] are separate (two <see cref="Linear"/> layers); tied: W_dec = W_encᵀ, one weight [k, D].
/// Weights start as Linear's U(±1/√fan_in), biases at 0. Shape: [N, D] → [N, D].
/// </summary>
public sealed class LinearAutoencoder : Module
{
    public LinearAutoencoder(int inputSize, int codeSize, bool tied, Generator? generator = null)
    {
        if (inputSize <= 0 || codeSize <= 0 || codeSize > inputSize)
            throw new ArgumentException($"LinearAutoencoder: need 0 < code size ≤ input size, got code {codeSize}, input {inputSize}");
        InputSize = inputSize;
        CodeSize = codeSize;
        Tied = tied;
        if (tied)
        {
            double bound = 1 / Math.Sqrt(inputSize);
            Weight = RegisterParameter(nameof(Weight), Tensor.Rand([codeSize, inputSize], -bound, bound, null, generator));
            EncoderBias = RegisterParameter(nameof(EncoderBias), Tensor.Zeros(codeSize));
            DecoderBias = RegisterParameter(nameof(DecoderBias), Tensor.Zeros(inputSize));
        }
        else
        {
            Encoder = RegisterModule(nameof(Encoder), new Linear(inputSize, codeSize, generator: generator));
            Decoder = RegisterModule(nameof(Decoder), new Linear(codeSize, inputSize, generator: generator));
        }
    }

    public int InputSize { get; }

    public int CodeSize { get; }

    public bool Tied { get; }

    /// <summary>Untied only.</summary>
    public Linear? Encoder { get; }

    /// <summary>Untied only.</summary>
    public Linear? Decoder { get; }

    /// <summary>Tied only: W [k, D]; the encoder computes x·Wᵀ, the decoder h·W.</summary>
    public Tensor? Weight { get; }

    public Tensor? EncoderBias { get; }

    public Tensor? DecoderBias { get; }

    public override Tensor Forward(Tensor input)
    {
        if (!Tied) return Decoder!.Invoke(Encoder!.Invoke(input));
        var h = input.Linear(Weight!, EncoderBias);   // [N, k]
        return h.MatMul(Weight!).Add(DecoderBias!);   // [N, D]
    }

    /// <summary>The decoder's k columns (each a double[D]): the directions whose span holds every reconstruction − b_dec.</summary>
    public double[][] DecoderColumns()
    {
        int d = InputSize, k = CodeSize;
        var cols = new double[k][];
        if (Tied)
        {
            var w = Weight!.ToDoubleArray();   // [k, D]: row j is column j of W_dec = Wᵀ
            for (int j = 0; j < k; j++) cols[j] = w.AsSpan(j * d, d).ToArray();
        }
        else
        {
            var w = Decoder!.Weight.ToDoubleArray();   // [D, k]
            for (int j = 0; j < k; j++)
            {
                cols[j] = new double[d];
                for (int i = 0; i < d; i++) cols[j][i] = w[i * k + j];
            }
        }
        return cols;
    }

    protected override string ExtraRepr() => $"input={InputSize}, code={CodeSize}, tied={Tied}";
}
