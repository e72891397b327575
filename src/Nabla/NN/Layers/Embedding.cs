
namespace Nabla.NN;

/// <summary>
/// A lookup table y[…] = Weight[indices[…]] (PyTorch's nn.Embedding) with a dense gradient for Weight; the row
/// <see cref="PaddingIdx"/> starts at zero and receives no gradient. Weight ~ N(0, 1) like PyTorch.
/// Shape: int32 indices of any shape [*] → [*, EmbeddingDim]; Weight [NumEmbeddings, EmbeddingDim].
/// </summary>
public sealed class Embedding : Module
{
    public int NumEmbeddings { get; }
    public int EmbeddingDim { get; }

    /// <summary>The padding row, already wrapped to [0, NumEmbeddings) (PyTorch accepts negative values too).</summary>
    public int? PaddingIdx { get; }

    public Tensor Weight { get; }

    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, DType? dtype = null, Generator? generator = null)
        : this(numEmbeddings, embeddingDim, paddingIdx, DefaultDType.Resolve(dtype)) => ResetParameters(generator);

    private Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx, DType dtype)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new ArgumentException($"Embedding: numEmbeddings and embeddingDim must be positive, got {numEmbeddings}, {embeddingDim}");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = WrapPadding(paddingIdx, numEmbeddings);
        Weight = RegisterParameter(nameof(Weight), Tensor.Zeros([numEmbeddings, embeddingDim], dtype));
    }

    private static int? WrapPadding(int? paddingIdx, int numEmbeddings)
    {
        if (paddingIdx is not int p) return null;
        if (p < -numEmbeddings || p >= numEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"Embedding: paddingIdx {p} must be within num_embeddings {numEmbeddings}");
        return p < 0 ? p + numEmbeddings : p;
    }

    /// <summary>W ~ N(0, 1); the padding row is zeroed.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.Normal_(Weight, 0, 1, generator);
        if (PaddingIdx is int p) Weight.AsStrided([EmbeddingDim], [1], Weight.Offset + p * EmbeddingDim).Fill_(0);
    }

    /// <summary>An embedding whose table is a copy of <paramref name="weights"/> [V, D] (e.g. GloVe vectors); with
    /// <paramref name="freeze"/> (PyTorch's default) the table is not trained.</summary>
    public static Embedding FromPretrained(Tensor weights, bool freeze = true, int? paddingIdx = null)
    {
        if (weights.Rank != 2)
            throw ShapeMismatchException.For("Embedding.FromPretrained", "weights must be 2-d [num_embeddings, embedding_dim]", weights.Shape.ToArray());
        var e = new Embedding(weights.Size(0), weights.Size(1), paddingIdx, weights.DType);   // no random init
        e.Weight.CopyFrom_(weights);
        e.Weight.RequiresGrad = !freeze;
        return e;
    }

    public override Tensor Forward(Tensor input) => EmbeddingAccumulateOp.Forward(input, Weight, PaddingIdx);

    protected override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is int p ? $", padding_idx={p}" : "");
}
