
namespace Nabla.NN;

/// <summary>Merges dims StartDim..EndDim. Shape: [N, C, H, W] → [N, C·H·W] with the defaults (1, −1).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    public int StartDim { get; } = startDim;
    public int EndDim { get; } = endDim;

    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
