
namespace Nabla.NN;

/// <summary>Merges dims StartDim..EndDim. Shape: [N, C, H, W] → [N, C·H·W] with the defaults (1, −1).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>First dim merged (negative counts from the end); default 1 keeps the batch dim.</summary>
    public int StartDim { get; } = startDim;
    /// <summary>Last dim merged (negative counts from the end); default −1.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
