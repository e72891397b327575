using System.Globalization;
using Nabla.Cli.Composition;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;

namespace Nabla.Tests.Cli;

/// <summary>`nabla train --data table.csv --target COL`: column encoding fitted on the training rows, the task from
/// the target, regression end to end, and predictions that replay the training preprocessing.</summary>
public class OwnDataTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-owndata-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static CsvTable Table(string text) => CsvTable.Parse(new StringReader(text), "t.csv");

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void Columns_are_standardised_with_training_rows_only_and_one_hot_in_sorted_order()
    {
        var t = Table("x,colour,y\n1,red,a\n3,blue,b\n5,red,a\n100,green,b\n");
        var pre = Preprocess.FitTable(t, "y", "auto", [0, 1, 2]);   // row 3 (x = 100, green) is not training data
        Assert.Equal("classification", pre.Task);
        Assert.Equal(["a", "b"], pre.ClassNames);
        var x = pre.Columns[0];
        Assert.Equal(("numeric", 3.0), (x.Kind, x.Mean));
        Assert.Equal(Math.Sqrt(8.0 / 3), x.Std, 12);                  // population std of 1, 3, 5
        Assert.Equal(["blue", "red"], pre.Columns[1].Levels!);         // green never seen in training
        Assert.Equal([3], pre.FeatureShape);
        var features = pre.EncodeTable(t, [0, 3], out int unseen).ToArray<float>();
        double s = Math.Sqrt(8.0 / 3);
        Assert.Equal([(float)(-2 / s), 0, 1, (float)(97 / s), 0, 0], features, new FloatTolerance(1e-6f));
        Assert.Equal(1, unseen);                                      // green → all zeros, counted
        Assert.Equal([0, 1], pre.EncodeTarget(t, [0, 3]).ToArray<int>());
    }

    [Theory]
    [InlineData("y\n1\n2\n1\n10\n", "classification", "1,2,10")]       // few integers: classes, sorted as numbers
    [InlineData("y\n1.0\n2\n1\n2\n", "classification", "1,2")]          // 1.0 and 1 are the same class
    [InlineData("y\ncat\ndog\ncat\ncat\n", "classification", "cat,dog")]
    [InlineData("y\n0.5\n1.25\n3\n2\n", "regression", "")]
    public void The_task_follows_the_target(string targetColumn, string task, string classes)
    {
        var lines = targetColumn.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = "x," + lines[0] + "\n" + string.Join("\n", lines.Skip(1).Select((v, i) => $"{i},{v}")) + "\n";
        var pre = Preprocess.FitTable(Table(text), "y", "auto", [0, 1, 2, 3]);
        Assert.Equal(task, pre.Task);
        Assert.Equal(classes, string.Join(",", pre.ClassNames));
        Assert.Equal(task == "regression" ? 1 : classes.Split(',').Length, pre.Outputs);
    }

    [Fact]
    public void The_task_can_be_forced_and_bad_targets_are_clear_errors()
    {
        var t = Table("x,y\n1,1\n2,2\n3,3\n");
        Assert.Equal("regression", Preprocess.FitTable(t, "y", "regression", [0, 1, 2]).Task);
        Assert.Contains("needs a numeric target", Assert.Throws<ArgumentException>(() =>
            Preprocess.FitTable(Table("x,y\n1,a\n2,b\n"), "y", "regression", [0, 1])).Message);
        var e = Assert.Throws<CsvFormatException>(() => Preprocess.FitTable(Table("x,y\n1,a\n2,\n"), "y", "auto", [0, 1]));
        Assert.Equal((3L, "y"), (e.Line, e.Column));
        Assert.Contains("only one value", Assert.Throws<ArgumentException>(() => Preprocess.FitTable(Table("x,y\n1,a\n2,a\n"), "y", "auto", [0, 1])).Message);
        Assert.Contains("no column 'z'", Assert.Throws<ArgumentException>(() => Preprocess.FitTable(t, "z", "auto", [0])).Message);
    }

    [Fact]
    public void Missing_numeric_values_are_an_error_naming_line_and_column_unless_mean_filling_is_asked()
    {
        var t = Table("a,b,y\n1,10,p\nNA,20,q\n3,,p\n");
        var e = Assert.Throws<CsvFormatException>(() => Preprocess.FitTable(t, "y", "auto", [0, 1, 2]));
        Assert.Equal((3L, "a"), (e.Line, e.Column));
        Assert.Contains("--missing mean", e.Message);
        var pre = Preprocess.FitTable(t, "y", "auto", [0, 1, 2], missing: "mean");
        Assert.Equal(2.0, pre.Columns[0].Mean);                        // mean of the present values 1 and 3
        Assert.Equal(15.0, pre.Columns[1].Mean);
        var x = pre.EncodeTable(t, [1, 2], out _).ToArray<float>();
        Assert.Equal(0f, x[0]);                                        // missing a → the mean → 0
        Assert.Equal(0f, x[3]);                                        // missing b → 0
        Assert.Equal(1f, x[1]);                                        // b = 20: (20 − 15) / 5
    }

    [Fact]
    public void Regression_trains_end_to_end_and_predict_returns_values_in_target_units()
    {
        // y = 2a − 3b + 5·[c = v] + 1, exactly; 300 rows, every row used for training (--validation 0)
        var rng = new Random(11);
        var rows = Enumerable.Range(0, 300).Select(_ => (A: rng.NextDouble() * 4, B: rng.NextDouble() * 2 - 1, C: rng.Next(2) == 0 ? "u" : "v")).ToList();
        double Y((double A, double B, string C) r) => 2 * r.A - 3 * r.B + (r.C == "v" ? 5 : 0) + 1;
        string csv = Path.Combine(_dir, "reg.csv");
        File.WriteAllLines(csv, ["a,b,c,y", .. rows.Select(r => $"{F(r.A)},{F(r.B)},{r.C},{F(Y(r))}")]);
        var log = new StringWriter();
        var run = TrainRun.Run(new TrainOptions { Model = "mlp", Data = csv, Target = "y", Epochs = 40, ValidationFraction = 0, Out = Path.Combine(_dir, "reg"), Seed = 2 }, log);
        Assert.Contains("regression (from the target's values", log.ToString());
        Assert.Contains("c                    categorical, one-hot over 2 levels: u, v", log.ToString());

        var pre = Preprocess.Load(run.OutDir);
        double Mean(Func<(double A, double B, string C), double> f) => rows.Average(f);
        double Std(Func<(double A, double B, string C), double> f) { double m = Mean(f); return Math.Sqrt(rows.Average(r => (f(r) - m) * (f(r) - m))); }
        Assert.Equal(Mean(r => r.A), pre.Columns[0].Mean, 9);
        Assert.Equal(Std(r => r.A), pre.Columns[0].Std, 9);
        Assert.Equal(Mean(Y), pre.Target!.Mean, 9);
        Assert.Equal(Std(Y), pre.Target.Std, 9);

        // predict = the saved MLP on the standardised row, scaled back: ŷ·std(y) + mean(y)
        var set = Predictor.Run(run.OutDir, [csv]);
        var mlp = Mlp.Create(new MlpOptions(InputSize: 4, Hidden: [128, 128], Classes: 1));
        mlp.LoadStateDict(Npz.Load(Path.Combine(run.OutDir, "model.npz")));
        mlp.Eval();
        var x = rows.SelectMany(r => new[] { (r.A - Mean(q => q.A)) / Std(q => q.A), (r.B - Mean(q => q.B)) / Std(q => q.B), r.C == "u" ? 1 : 0, r.C == "v" ? 1.0 : 0 })
            .Select(v => (float)v).ToArray();
        using (GradMode.NoGrad())
        {
            var yhat = mlp.Invoke(Tensor.FromArray(x, rows.Count, 4)).ToArray<float>();
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(yhat[i] * Std(Y) + Mean(Y), set.Rows[i].Value, 3);
                Assert.Equal($"{csv}:{i + 2}", set.Rows[i].Input);
            }
        }
        Assert.InRange(set.Rmse!.Value, 0, 0.15 * Std(Y));   // learned the rule (predicting the mean would give RMSE = std(y))
        var lines = new StringWriter();
        set.WriteCsv(lines);
        Assert.StartsWith("input,value,truth", lines.ToString());
    }

    [Fact]
    public void Classification_table_trains_and_predict_matches_the_validation_accuracy()
    {
        // label = "hi" when 3x − z > 0 for a rule the model can learn; 400 rows, 25 % validation
        var rng = new Random(4);
        string csv = Path.Combine(_dir, "cls.csv");
        var lines = new List<string> { "x,z,kind,label" };
        for (int i = 0; i < 400; i++)
        {
            double x = rng.NextDouble() * 2 - 1, z = rng.NextDouble() * 2 - 1;
            lines.Add($"{F(x)},{F(z)},{(i % 3 == 0 ? "k1" : "k2")},{(3 * x - z > 0 ? "hi" : "lo")}");
        }
        File.WriteAllLines(csv, lines);
        var run = TrainRun.Run(new TrainOptions { Model = "mlp", Data = csv, Target = "label", Epochs = 15, ValidationFraction = 0.25, Out = Path.Combine(_dir, "cls"), Seed = 2 }, TextWriter.Null);
        Assert.Equal(100, run.Test.Samples);
        Assert.InRange(run.Test.Accuracy, 0.9, 1.0);
        var set = Predictor.Run(run.OutDir, [csv]);
        Assert.Equal(400, set.Rows.Count);
        Assert.All(set.Rows, r => Assert.Equal(1.0, r.Probabilities.Sum(), 5));
        Assert.InRange(set.Accuracy!.Value, 0.9, 1.0);
        Assert.Contains("needs images", Assert.Throws<ArgumentException>(() =>
            TrainRun.Run(new TrainOptions { Model = "cnn", Data = csv, Target = "label", Out = Path.Combine(_dir, "cnn") }, TextWriter.Null)).Message);
        Assert.Contains("--target", Assert.Throws<ArgumentException>(() =>
            TrainRun.Run(new TrainOptions { Model = "mlp", Data = csv, Out = Path.Combine(_dir, "nt") }, TextWriter.Null)).Message);
        Assert.Contains("x, z, kind, label", Assert.Throws<ArgumentException>(() =>
            TrainRun.Run(new TrainOptions { Model = "mlp", Data = csv, Out = Path.Combine(_dir, "nt") }, TextWriter.Null)).Message);
    }

    [Fact]
    public void The_validation_option_is_a_fraction_below_one_and_a_count_otherwise()
    {
        string csv = Path.Combine(_dir, "v.csv");
        File.WriteAllLines(csv, ["a,y", .. Enumerable.Range(0, 80).Select(i => $"{i},{(i % 2 == 0 ? "e" : "o")}")]);
        var root = new System.CommandLine.RootCommand { Nabla.Cli.Commands.TrainCommand.Create() };
        foreach (var (arg, val) in new[] { ("0.25", 20), ("30", 30) })
        {
            string outDir = Path.Combine(_dir, "v" + arg);
            Assert.Equal(0, root.Parse(["train", "mlp", "--data", csv, "--target", "y", "--validation", arg, "--epochs", "1", "--out", outDir]).Invoke());
            var m = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
            Assert.Equal(val, (int)m["test_samples"]!);                 // own data: the final evaluation is the validation set
            var history = m["history"]!.AsArray();
            Assert.Single(history);
        }
    }

    private sealed class FloatTolerance(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float v) => 0;
    }
}
