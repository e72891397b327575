using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class TrainingCurvesTests
{
    private static readonly double[] TrainLoss = [2.3, 0.9, 0.5, 0.35, 0.3];
    private static readonly double[] ValLoss = [2.1, 1.0, 0.7, 0.65, 0.66];

    [Fact]
    public void Loss_and_accuracy_become_two_panels_side_by_side()
    {
        var both = TrainingCurves.ToPng(TrainLoss, ValLoss, [0.3, 0.7, 0.85, 0.9, 0.92], [0.35, 0.68, 0.8, 0.82, 0.81], title: "MNIST MLP");
        Assert.Equal((1280, 440), PngAssert.IsPng(both));
        var lossOnly = TrainingCurves.ToPng(TrainLoss, ValLoss, logLoss: true);
        Assert.Equal((640, 440), PngAssert.IsPng(lossOnly));
    }

    [Fact]
    public void Save_writes_a_png_file()
    {
        string path = Path.Combine(Path.GetTempPath(), "nabla-curves-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            TrainingCurves.Save(path, TrainLoss, trainAccuracy: [0.3, 0.7, 0.85, 0.9, 0.92], epochs: [0, 1, 2, 3, 4, 5]);
            Assert.Equal((1280, 440), PngAssert.IsPng(File.ReadAllBytes(path)));
        }
        finally { File.Delete(path); }
        Assert.Throws<ArgumentException>(() => TrainingCurves.ToPng(TrainLoss, epochs: [1, 2]));
    }
}
