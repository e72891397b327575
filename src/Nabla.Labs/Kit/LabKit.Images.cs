using System.Diagnostics;
using Nabla.Data;

namespace Nabla.Labs;

/// <summary>CIFAR-10 cut to the sizes a lab asks: the standardised 45k/5k train/validation split and the test set,
/// each truncated to its first images, with the time the load took.</summary>
public sealed record Cifar10Subsets(Cifar10Splits Data, ImageDataset Train, ImageDataset Valid, ImageDataset Test, double LoadSeconds);

// The image data sets of the CNN labs (CIFAR-10, Dogs vs Cats) in the sizes a lab asks, and tensors from data sets.
public sealed partial class LabKit
{
    /// <summary>CIFAR-10 (binary or JPEG copy under the data root), per-channel standardised with the training split's
    /// statistics, the last 5,000 training images as validation; the first <paramref name="train"/>,
    /// <paramref name="valid"/> and <paramref name="test"/> images of each split.</summary>
    public Cifar10Subsets LoadCifar10(int train, int valid, int test)
    {
        var clock = Stopwatch.StartNew();
        var data = Cifar10.Load(new Cifar10Options { Root = DataRoot, Normalize = true, ValidationCount = 5_000 });
        return new Cifar10Subsets(data, data.Train.Slice(0, Math.Min(train, data.Train.Count)),
            data.Validation!.Slice(0, Math.Min(valid, data.Validation.Count)), data.Test.Slice(0, Math.Min(test, data.Test.Count)),
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>The Dogs vs Cats splits at <paramref name="size"/>² pixels (see <see cref="DogsVsCatsLabData.Load"/>).</summary>
    public DogsVsCatsLabSplits LoadDogsVsCats(int size, int trainPerClass, int holdoutPerClass, int validPerClass) =>
        DogsVsCatsLabData.Load(DataRoot, size, trainPerClass, holdoutPerClass, validPerClass);
}
