using Nabla.Data;
using Nabla.Optim;

namespace Nabla.Labs;

public sealed partial class AugmentationLab
{
    /// <summary>Standardised MNIST value of a black (0) pixel: (0 − 0.1307)/0.3081, the fill of shifted-in borders.</summary>
    public const float MnistBlack = (float)(-0.1307 / 0.3081);

    /// <summary>The image augmentation: a random zoom (RandomResizedCrop of area ≥ <paramref name="cropScaleMin"/>, aspect
    /// 0.9–1.1, resized back to 28×28) then a random shift of up to ±<paramref name="shift"/> pixels (RandomCrop with
    /// padding, borders filled black). No flip: a mirrored digit is not a digit of the same class.</summary>
    public static SampleTransform ImageAugmentation(int shift, double cropScaleMin)
    {
        var steps = new List<SampleTransform>();
        if (cropScaleMin < 1) steps.Add(Transforms.RandomResizedCrop(cropScaleMin, 1.0, 0.9, 1.1));
        if (shift > 0) steps.Add(Transforms.RandomCrop(28, padding: shift, fill: MnistBlack));
        return Transforms.Compose([.. steps]);
    }

    /// <summary>Describes <see cref="ImageAugmentation"/> in words.</summary>
    public static string DescribeImageAugmentation(int shift, double cropScaleMin)
    {
        var parts = new List<string>();
        if (cropScaleMin < 1) parts.Add($"a random zoom (RandomResizedCrop: a crop of {100 * cropScaleMin:0}–100 % of the area, aspect 0.9–1.1, resized back to 28×28)");
        if (shift > 0) parts.Add($"a random shift of up to ±{shift} pixels (RandomCrop 28 with padding {shift}, black borders)");
        return parts.Count == 0 ? "nothing (both image augmentations are off)" : string.Join(", then ", parts);
    }

    private static ImageStudy RunImages(AugmentationSettings s, LabKit kit)
    {
        var (train, valid, _) = kit.Mnist(s.TrainImages, s.ValidationImages, 0);
        var (xTr, yTr) = LabKit.ToTensors(train);
        var (xVa, yVa) = LabKit.ToTensors(valid);
        kit.Out.WriteLine($"part 1: MNIST, {train.Count} training and {valid.Count} validation images");
        var runs = new List<AugmentationRun>();
        long parameters = 0;
        foreach (bool augmented in new[] { false, true })
        {
            var model = ImageCnn(kit.Generator(101));   // the same initial weights in both runs
            parameters = model.ParameterCount();
            var opt = new Adam(model.Parameters(), new AdamOptions(s.LearningRate));
            var loader = new DataLoader(train, s.BatchSize, shuffle: true, seed: kit.Seed + 102,
                transform: augmented ? ImageAugmentation(s.ShiftPixels, s.CropScaleMin) : null);
            string key = augmented ? "image_augmented" : "image_plain";
            var curves = CnnTraining.Fit(model, opt, null, loader, s.ImageEpochs, kit.Seed + 103, (xTr, yTr), (xVa, yVa), kit.Out, key);
            runs.Add(new AugmentationRun("digit image", augmented ? "shift + zoom" : "none", key, augmented, curves));
        }
        return new ImageStudy(train.Count, valid.Count, parameters, DescribeImageAugmentation(s.ShiftPixels, s.CropScaleMin), runs[0], runs[1]);
    }
}
