namespace Nabla.Data;

/// <summary>
/// CIFAR-10's splits, where and in which format they were read, and the training set's per-channel statistics
/// (<see cref="Mean"/>, <see cref="Std"/>, in [0, 1] units; applied when <see cref="Cifar10Options.Normalize"/>).
/// Label every reported figure with <see cref="DisplayName"/>.
/// </summary>
public sealed record Cifar10Splits(
    ImageDataset Train, ImageDataset? Validation, ImageDataset Test, string Path, Cifar10Format Format,
    IReadOnlyList<string> ClassNames, float[] Mean, float[] Std)
{
    /// <summary>"CIFAR-10" for the binary files, "CIFAR-10 (JPEG copy)" for the lossy copy.</summary>
    public string DisplayName => Cifar10.DisplayName(Format);
}
