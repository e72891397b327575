using Nabla.Data;

namespace Nabla.Training;

/// <summary>Adapts a <see cref="DataLoader"/> to the trainer's (input, target) batches.</summary>
public static class LoaderExtensions
{
    /// <summary>The batches of epoch <paramref name="epoch"/> (its shuffle order is a function of the seed and the epoch).</summary>
    public static IEnumerable<(Tensor Input, Tensor Target)> ForEpoch(this DataLoader loader, int epoch)
    {
        loader.Epoch = epoch;
        foreach (var b in loader) yield return (b.X, b.Y);
    }

    /// <summary>One pass in the loader's fixed order (for evaluation).</summary>
    public static IEnumerable<(Tensor Input, Tensor Target)> Batches(this DataLoader loader) => loader.ForEpoch(0);
}
