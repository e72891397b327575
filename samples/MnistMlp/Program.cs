// MnistMlp: a two-layer MLP trained on a small subset of MNIST with the library's Trainer, saved and loaded back.
// Run: NABLA_DATA=/path/to/data dotnet run --project samples/MnistMlp -c Release -- [--limit 2000] [--epochs 3]
// The data set is looked up as the library does: $NABLA_DATA, then ~/.nabla/data (MNIST in <root>/mnist/).
using System.Globalization;
using Nabla;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

int limit = IntArg("--limit", 2000), epochs = IntArg("--epochs", 3);
if (DataRoot.Find(DatasetSpec.Mnist) is null)
{
    Console.WriteLine("MNIST not found: set NABLA_DATA to the folder that holds mnist/ " +
                      "(or run `nabla data download --data mnist`). Nothing to do.");
    return 0;
}

var mnist = Mnist.Load("mnist", new MnistOptions { Normalize = true });
var train = Subset.Range(mnist.Train, 0, Math.Min(limit, mnist.Train.Count));
var test = Subset.Range(mnist.Test, 0, Math.Min(limit / 2, mnist.Test.Count));
Console.WriteLine($"train on {train.Count} images, test on {test.Count}");

Generator.ManualSeed(0);
Module NewModel() => new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
var model = NewModel();
var optimizer = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.05, Momentum: 0.9));
var trainer = new Trainer(model, optimizer, (logits, labels) => logits.CrossEntropy(labels), new TrainerOptions(Epochs: epochs, Seed: 0));
var trainLoader = new DataLoader(train, batchSize: 64, shuffle: true, seed: 0);
var testLoader = new DataLoader(test, batchSize: 500);

var fit = trainer.Fit(trainLoader.ForEpoch, testLoader.Batches);
foreach (var r in fit.History)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"epoch {r.Epoch}: train loss {r.TrainLoss:F4}, test accuracy {r.ValidationAccuracy:P2}"));

// Save the weights (a NumPy .npz, keys as PyTorch's state_dict) and load them into a fresh model.
string path = Path.Combine(Path.GetTempPath(), $"nabla-mnist-mlp-{Environment.ProcessId}.npz");
Npz.Save(path, model.StateDict());
var loaded = NewModel();
loaded.LoadStateDict(Npz.Load(path));
File.Delete(path);
var before = trainer.Evaluate(testLoader.Batches());
var after = new Trainer(loaded, new Sgd(loaded.Parameters()), (logits, labels) => logits.CrossEntropy(labels)).Evaluate(testLoader.Batches());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"test accuracy {before.Accuracy:P2}; after save and load {after.Accuracy:P2}"));
return before.Accuracy == after.Accuracy ? 0 : 1;

int IntArg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
