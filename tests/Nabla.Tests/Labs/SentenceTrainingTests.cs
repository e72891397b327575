using Nabla.Labs;

namespace Nabla.Tests.Labs;

/// <summary>The sentences the sentence labs share, for both branches of each rule (no data needed).</summary>
public class SentenceTrainingTests
{
    private static SentenceRun Run(string name, double train, double valid = 0.8, int[,]? confusion = null) =>
        new(name, 10, [], train, valid, 0.85, 0.5, confusion ?? new int[6, 6], 1, new SentenceTrainSettings(1e-3, 0, 50, 1));

    [Fact]
    public void Epoch_time_is_the_median_and_the_kept_epoch_defaults_to_the_last()
    {
        static Nabla.Training.EpochRecord E(int i, double seconds) => new(i, 1, 0.5, 1, 0.5, 1e-3, seconds, 1);
        var r = new SentenceRun("a", 10, [E(1, 3), E(2, 40), E(3, 2)], 0.9, 0.8, 0.85, 0.5, new int[6, 6], 45, new SentenceTrainSettings(1e-3, 0, 50, 3));
        Assert.Equal(3, r.SecondsPerEpoch);                    // median of 3, 40, 2: the slow epoch does not decide it
        Assert.Equal(3, r.ChosenEpoch);
        Assert.Equal(2.5, (r with { History = [E(1, 2), E(2, 3)] }).SecondsPerEpoch);
        Assert.True(double.IsNaN(Run("b", 0.9).SecondsPerEpoch));
    }

    [Fact]
    public void Margin_is_the_normal_approximation_of_the_binomial_interval()
    {
        Assert.Equal(1.96 * Math.Sqrt(0.9 * 0.1 / 500), SentenceTraining.Margin95(0.9, 500), 1e-15);   // ≈ 0.0263, the "±2.6 points"
        Assert.Equal(0, SentenceTraining.Margin95(1, 500));
    }

    [Fact]
    public void Compare_says_better_worse_or_no_clear_difference()
    {
        Assert.Contains("3.0 points better, more than the ±2.7-point", SentenceTraining.CompareVerdict("A", 0.91, "B", 0.88, 500));
        Assert.Contains("5.0 points worse", SentenceTraining.CompareVerdict("A", 0.85, "B", 0.90, 500));
        Assert.Contains("no clear difference", SentenceTraining.CompareVerdict("A", 0.90, "B", 0.89, 500));
        Assert.Contains("no clear difference", SentenceTraining.CompareVerdict("A", 0.40, "B", 0.35, 200));
    }

    [Fact]
    public void Fit_says_whether_every_model_fits_its_training_part()
    {
        Assert.StartsWith("Every model fits", SentenceTraining.FitVerdict([Run("a", 0.99), Run("b", 0.96)]));
        Assert.StartsWith("Not every model fits", SentenceTraining.FitVerdict([Run("a", 0.99), Run("b", 0.42)]));
    }

    [Fact]
    public void Smallest_class_noise_and_published_sentences_follow_the_numbers()
    {
        var c = new int[6, 6];
        for (int i = 0; i < 6; i++) c[i, i] = 50;
        c[0, 0] = 7; c[0, 1] = 2;                                    // ABBR: 9 questions
        Assert.Equal("ABBR has only 9 test questions, so its recall moves by 11 points per question.", SentenceTraining.SmallestClassText(c));
        c[0, 0] = 0; c[0, 1] = 0; c[4, 4] = 1;                       // ABBR absent: LOC with 1 question is the smallest present class
        Assert.StartsWith("LOC has only 1 test question,", SentenceTraining.SmallestClassText(c));
        Assert.Equal("", SentenceTraining.SmallestClassText(new int[6, 6]));
        Assert.Contains("one question is 0.2 points", SentenceTraining.NoiseText(500, 0.9));
        Assert.Contains("±2.6 points, so differences of a point between runs or seeds are noise", SentenceTraining.NoiseText(500, 0.9));
        Assert.Contains("a one-point difference is already meaningful", SentenceTraining.NoiseText(100_000, 0.9));
        Assert.Contains("matches Kim", SentenceTraining.PublishedVerdict("The CNN", 0.905, 0.912, "Kim"));
        Assert.Contains("is 30.0 points below Kim", SentenceTraining.PublishedVerdict("The CNN", 0.612, 0.912, "Kim"));
        Assert.Contains("points above", SentenceTraining.PublishedVerdict("The CNN", 0.95, 0.912, "Kim"));
    }

    [Fact]
    public void Data_text_names_the_kept_questions_only_when_a_limit_is_set()
    {
        var d = new TrecSummary(5452, 500, 4907, 545, 500, 8000, 37, 10.2, 0.05);
        Assert.DoesNotContain("Only the first", SentenceTraining.DataText(d, null, null));
        Assert.Contains("Only the first 600 training and 200 test questions are used", SentenceTraining.DataText(d with { Train = 540, Validation = 60, Test = 200 }, 600, 200));
        Assert.Contains("Only the first 50 test questions", SentenceTraining.DataText(d, null, 50));
    }
}
