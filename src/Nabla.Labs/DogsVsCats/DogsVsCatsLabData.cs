using Nabla.Data;

namespace Nabla.Labs;

/// <summary>
/// The three splits of the Dogs vs Cats lab as decoded pixels: <see cref="Train"/> (fit), <see cref="Holdout"/>
/// (the last files of each training class, monitored each epoch) and <see cref="Validation"/> (the given
/// validation folder, reported once at the end). Mean/Std are per-channel statistics of <see cref="Train"/>.
/// </summary>
public sealed record DogsVsCatsLabSplits(LabeledImages Train, LabeledImages Holdout, LabeledImages Validation,
    IReadOnlyList<string> Classes, float[] Mean, float[] Std, string Directory)
{
    /// <summary>Standardised [N, 3, s, s] tensors and labels of <paramref name="images"/> (no augmentation).</summary>
    public (Tensor X, Tensor Y) Normalized(LabeledImages images) => LabKit.ToTensors(new ImageDataset(images, Mean, Std));

    /// <summary>[0, 1] pixels (for galleries).</summary>
    public Tensor Raw(LabeledImages images) => LabKit.ToTensors(new ImageDataset(images)).X;
}

public static class DogsVsCatsLabData
{
    /// <summary>
    /// Reads <c>train/&lt;class&gt;</c> and <c>validation/&lt;class&gt;</c> of the dogs-vs-cats folder, files in ordinal
    /// name order, resized to size × size. Per class: the first <paramref name="trainPerClass"/> training files fit,
    /// the next <paramref name="holdoutPerClass"/> form the hold-out; the first <paramref name="validPerClass"/>
    /// validation files (all when ≤ 0) are the final test.
    /// </summary>
    public static DogsVsCatsLabSplits Load(string? root, int size, int trainPerClass, int holdoutPerClass, int validPerClass)
    {
        var spec = DatasetSpec.DogsVsCats;
        string dir = DataRoot.Locate(spec, root); // throws DatasetNotFoundException naming where it looked
        var classes = System.IO.Directory.EnumerateDirectories(Path.Combine(dir, "train")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        List<string>[] Files(string split) => classes.Select(c => System.IO.Directory.EnumerateFiles(Path.Combine(dir, split, c!))
            .Where(ImageDecoder.IsImageName).Order(StringComparer.Ordinal).ToList()).ToArray();
        var train = Files("train");
        var valid = Files("validation");
        LabeledImages Read(List<string>[] perClass, int skip, int take)
        {
            var picked = perClass.SelectMany((files, label) => files.Skip(skip).Take(take <= 0 ? int.MaxValue : take).Select(f => (f, label))).ToList();
            var paths = picked.Select(p => p.f).ToArray();
            var (pixels, h, w) = ImageDecoder.DecodeAll(paths.Length, i => File.ReadAllBytes(paths[i]), paths, 3, (size, size));
            return new LabeledImages(pixels, picked.Select(p => (byte)p.label).ToArray(), h, w, 3);
        }
        var fit = Read(train, 0, trainPerClass);
        var holdout = Read(train, trainPerClass, holdoutPerClass);
        var validation = Read(valid, 0, validPerClass);
        var (mean, std) = ImageStatistics.ChannelMeanStd(fit);
        return new DogsVsCatsLabSplits(fit, holdout, validation, classes!, mean, std, dir);
    }

    /// <summary>torchvision-style augmentation on [0, 1] pixels, then standardisation: random resized crop (scale
    /// 0.6–1 of the area, aspect 3/4–4/3, resized back to s × s), horizontal flip, light colour jitter, Normalize.</summary>
    public static SampleTransform Augmentation(float[] mean, float[] std) => Transforms.Compose(
        Transforms.RandomResizedCrop(0.6, 1.0),
        Transforms.HorizontalFlip(),
        Transforms.ColorJitter(0.2f, 0.2f, 0.2f),
        Transforms.Normalize(mean, std));
}
