using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class DogsVsCatsSaysTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-dogs-says-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static DogsVsCatsRun Run(string key, double holdoutAccuracy, double holdoutLoss) =>
        new(new DogsVsCatsSpec(key, key, 64, [32, 64, 128, 128], true, 0.5, true), 1, [0.5], [0.1], [0.6], [0.2], [holdoutLoss], [1 - holdoutAccuracy], [], 1, false);

    [Fact]
    public void Choice_is_the_highest_holdout_accuracy_then_the_lower_loss_then_the_earlier_run()
    {
        Assert.Equal(1, DogsVsCatsSays.Choose([Run("a", 0.70, 0.5), Run("b", 0.80, 0.6), Run("c", 0.75, 0.1)]));
        Assert.Equal(2, DogsVsCatsSays.Choose([Run("a", 0.80, 0.5), Run("b", 0.70, 0.1), Run("c", 0.80, 0.4)]));
        Assert.Equal(0, DogsVsCatsSays.Choose([Run("a", 0.80, 0.4), Run("b", 0.80, 0.4)]));
        Assert.Throws<ArgumentException>(() => DogsVsCatsSays.Choose([]));
    }

    [Fact]
    public void Lead_and_comparisons_with_the_base_follow_two_standard_errors()
    {
        // 200 photos: s.e. of a difference near 80 % ≈ √(2·0.8·0.2/200) = 0.04, so 8 points is the threshold.
        Assert.Contains("within two standard errors", DogsVsCatsSays.Lead("a", 0.82, "b", 0.78, 200));
        Assert.Contains("a lead of more than two standard errors", DogsVsCatsSays.Lead("a", 0.90, "b", 0.70, 200));
        Assert.Contains("choice by default", DogsVsCatsSays.Lead("a", 0.9, null, double.NaN, 200));
        Assert.Contains("no measurable effect", DogsVsCatsSays.VersusBase("x", "change", 0.80, 0.77, 200));
        Assert.Contains("clearly better", DogsVsCatsSays.VersusBase("x", "change", 0.90, 0.70, 200));
        Assert.Contains("clearly worse", DogsVsCatsSays.VersusBase("x", "change", 0.60, 0.80, 200));
    }

    [Fact]
    public void Gap_sentences_follow_the_numbers()
    {
        // Widest noise of a difference of two rates on 200 photos: 2·√2·0.5/√200 = 0.1.
        Assert.Contains("augmentation narrows the gap", DogsVsCatsSays.AugmentationGap(0.02, 0.20, 200));
        Assert.Contains("within the hold-out's noise", DogsVsCatsSays.AugmentationGap(0.05, 0.10, 200));
        Assert.Contains("did not narrow", DogsVsCatsSays.AugmentationGap(0.20, 0.02, 200));
        string gap = DogsVsCatsSays.Gap(0.99, 800, 0.80, 500);
        Assert.Contains("a gap of 19.0 points", gap);
        Assert.Contains("no measurable gap", DogsVsCatsSays.Gap(0.81, 800, 0.80, 500));
        Assert.Contains("clearly easier", DogsVsCatsSays.Gap(0.60, 800, 0.80, 500));
        Assert.Contains("selection makes the hold-out optimistic", DogsVsCatsSays.HoldoutVersusTest(0.90, 200, 0.75, 500));
        Assert.Contains("as well as its size allows", DogsVsCatsSays.HoldoutVersusTest(0.80, 200, 0.78, 500));
        Assert.Contains("pessimistic", DogsVsCatsSays.HoldoutVersusTest(0.70, 200, 0.85, 500));
    }

    [Fact]
    public void Fitting_says_underfit_unless_the_fit_set_is_clearly_better()
    {
        Assert.Contains("still underfits", DogsVsCatsSays.Fitting("base", 0.733, 800, 0.75, 200));
        Assert.Contains("still underfits", DogsVsCatsSays.Fitting("base", 0.78, 800, 0.75, 200)); // 3 points: within noise
        Assert.Contains("clearly better than new ones", DogsVsCatsSays.Fitting("base", 0.945, 800, 0.79, 200));
    }

    [Fact]
    public void Mistake_direction_is_an_even_split_within_two_root_n()
    {
        // 40 mistakes: an even split has sd √40 ≈ 6.3 on the difference, so |a − b| ≤ 12.6 is noise.
        Assert.Contains("even split", DogsVsCatsSays.MistakeDirection("cats", "dogs", 26, 14));
        Assert.Contains("leans toward 'dogs'", DogsVsCatsSays.MistakeDirection("cats", "dogs", 27, 13));
        Assert.Contains("leans toward 'cats'", DogsVsCatsSays.MistakeDirection("cats", "dogs", 5, 35));
        Assert.Equal("No test photo was misclassified.", DogsVsCatsSays.MistakeDirection("cats", "dogs", 0, 0));
    }

    [Fact]
    public void Confidence_calibration_and_near_ties_follow_the_numbers()
    {
        // 500 photos at 80 %: s.e. ≈ 0.0179, so 3.6 points is the threshold.
        Assert.Contains("overconfident", DogsVsCatsSays.Calibration(0.90, 0.80, 500));
        Assert.Contains("underconfident", DogsVsCatsSays.Calibration(0.70, 0.80, 500));
        Assert.Contains("calibrated within noise", DogsVsCatsSays.Calibration(0.82, 0.80, 500));
        Assert.Contains("most errors are confident", DogsVsCatsSays.ConfidentMistakes(30, 50));
        Assert.Contains("most errors are hesitant", DogsVsCatsSays.ConfidentMistakes(10, 50));
        Assert.Contains("every error is a hesitant one", DogsVsCatsSays.ConfidentMistakes(0, 50));
        // 16 near-ties: chance ± 2·0.5/4 = ±0.25.
        Assert.Contains("about chance", DogsVsCatsSays.Unsure(10, 16, 30, 500));
        Assert.Contains("better than chance", DogsVsCatsSays.Unsure(13, 16, 30, 500));
        Assert.Contains("worse than chance", DogsVsCatsSays.Unsure(3, 16, 30, 500));
    }

    [Fact]
    public void Property_uses_welch_t_computed_by_hand()
    {
        // Mistakes {0.2, 0.4}: mean 0.3, variance 0.02; correct {0.6, 0.8, 1.0}: mean 0.8, variance 0.04.
        // se = √(0.02/2 + 0.04/3) = √0.023333 = 0.15275; t = −0.5/0.15275 = −3.27.
        string s = DogsVsCatsSays.Property("brightness", "brighter", "darker", [0.2, 0.4], [0.6, 0.8, 1.0]);
        Assert.Contains("t = -3.3", s);
        Assert.Contains("measurably darker", s);
        Assert.Contains("no measurable difference", DogsVsCatsSays.Property("brightness", "brighter", "darker", [0.5, 0.7], [0.5, 0.6, 0.7]));
        Assert.Contains("Too few", DogsVsCatsSays.Property("brightness", "brighter", "darker", [0.5], [0.5, 0.6]));
    }

    [Fact]
    public void Beside_running_loss_and_ensemble_rules()
    {
        Assert.Contains("a clear gain", DogsVsCatsSays.Beside("TTA", 0.90, 0.80, 500, "test split"));
        Assert.Contains("no measurable gain", DogsVsCatsSays.Beside("TTA", 0.81, 0.80, 500, "test split"));
        Assert.Contains("above the re-evaluated", DogsVsCatsSays.RunningVersusFit(0.40, 0.20, true, true));
        Assert.Contains("below the re-evaluated", DogsVsCatsSays.RunningVersusFit(0.20, 0.40, false, false));
        Assert.Contains("within 2 %", DogsVsCatsSays.RunningVersusFit(0.301, 0.300, true, false));
        // Two models, three photos, two classes: the mean probabilities pick class 1, 0, 1; labels 1, 1, 1 → 2/3.
        float[] a = [0.4f, 0.6f, 0.9f, 0.1f, 0.2f, 0.8f];
        float[] b = [0.3f, 0.7f, 0.6f, 0.4f, 0.7f, 0.3f]; // photo 3: mean (0.45, 0.55) → class 1
        Assert.Equal(2.0 / 3, DogsVsCatsSays.EnsembleAccuracy([a, b], [1, 1, 1], 2), 12);
        Assert.Throws<ArgumentException>(() => DogsVsCatsSays.EnsembleAccuracy([a, [0.5f]], [1, 1, 1], 2));
    }

    [Fact]
    public void Brightness_and_contrast_are_the_mean_and_standard_deviation_of_each_photo()
    {
        // Photo 0: values 0, 1, 0, 1 → mean 0.5, sd 0.5. Photo 1: all 0.25 → mean 0.25, sd 0.
        var raw = Tensor.FromArray(new float[] { 0, 1, 0, 1, 0.25f, 0.25f, 0.25f, 0.25f }, 2, 1, 2, 2);
        var (b, c) = DogsVsCatsSays.BrightnessContrast(raw);
        Assert.Equal([0.5, 0.25], b);
        Assert.Equal(0.5, c[0], 12);
        Assert.Equal(0, c[1], 12);
    }

    [Fact]
    public void Submission_ids_are_file_names_without_extension_and_labels_are_singular_class_names()
    {
        Assert.Equal("cat.2000", DogsVsCatsSubmission.Id("/data/validation/cats/cat.2000.jpg"));
        Assert.Equal(("Cat", "Dog"), (DogsVsCatsSubmission.Label("cats"), DogsVsCatsSubmission.Label("dogs")));
        string path = Path.Combine(_dir, "p.csv");
        int rows = DogsVsCatsSubmission.Write(path, ["a/cats/cat.2000.jpg", "a/dogs/dog.2000.jpg"], [1, 0], ["cats", "dogs"]);
        Assert.Equal(2, rows);
        Assert.Equal("id,label\ncat.2000,Dog\ndog.2000,Cat\n", File.ReadAllText(path));
    }

    [Fact]
    public void Submission_rejects_mismatched_counts_repeated_ids_and_bad_classes_without_writing()
    {
        string path = Path.Combine(_dir, "bad.csv");
        Assert.Contains("2 files but 1 predictions", Assert.Throws<ArgumentException>(() =>
            DogsVsCatsSubmission.Write(path, ["cat.1.jpg", "cat.2.jpg"], [0], ["cats", "dogs"])).Message);
        Assert.Contains("two files have the id 'cat.1'", Assert.Throws<ArgumentException>(() =>
            DogsVsCatsSubmission.Write(path, ["x/cat.1.jpg", "y/cat.1.png"], [0, 1], ["cats", "dogs"])).Message);
        Assert.Contains("not a class index", Assert.Throws<ArgumentException>(() =>
            DogsVsCatsSubmission.Write(path, ["cat.1.jpg"], [2], ["cats", "dogs"])).Message);
        Assert.Contains("without quoting", Assert.Throws<ArgumentException>(() =>
            DogsVsCatsSubmission.Write(path, ["cat,1.jpg"], [0], ["cats", "dogs"])).Message);
        Assert.False(File.Exists(path));
    }
}
