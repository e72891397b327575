using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla;
using Nabla.Optim;

// VGG11-BN, step for step: writes the initial weights, STEPS batches of 128 CIFAR-10 training images (standardised,
// no augmentation) and the first step's gradients to OUT, then trains STEPS steps of SGD (Nesterov 0.9, weight decay
// 5e-4, constant LR) printing the loss of each. crosscheck_vgg11.py replays the same in PyTorch from those files.
// Usage: dotnet run -c Release --project bench/CrossCheck -- OUT [STEPS=20] [LR=0.05]   (data root: $NABLA_DATA)
if (args.Length < 1) { Console.Error.WriteLine("usage: CrossCheck OUT [STEPS] [LR]"); return 2; }
string outDir = Directory.CreateDirectory(args[0]).FullName;
int steps = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
double lr = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0.05;
var data = Cifar10.Load(new Cifar10Options { Normalize = true, ValidationCount = 5_000 });
var model = Vgg.Vgg11(generator: new Generator(7));
Npz.Save(Path.Combine(outDir, "init.npz"), model.StateDict());
// JPEG's flat regions give exactly tied maxima in the poolings; tiny noise (CROSSCHECK_NOISE, e.g. 0.01) removes ties
// whose winner depends on the last bit of each framework's convolution sums.
double noise = double.TryParse(Environment.GetEnvironmentVariable("CROSSCHECK_NOISE"), System.Globalization.CultureInfo.InvariantCulture, out double z) ? z : 0;
var noiseGen = new Generator(3);
var batches = new DataLoader(data.Train.Slice(0, 128 * steps), 128)
    .Select(b => (X: noise > 0 ? b.X.Add(Tensor.Randn(b.X.Shape.ToArray(), generator: noiseGen).Mul(noise)) : b.X.Clone(), Y: b.Y.Clone())).ToList();
var arrays = new Dictionary<string, Tensor>();
for (int i = 0; i < batches.Count; i++) { arrays[$"x{i}"] = batches[i].X; arrays[$"y{i}"] = batches[i].Y; }
Npz.Save(Path.Combine(outDir, "data.npz"), arrays);
var opt = new Sgd(model.Parameters(), new SgdOptions(lr, 0.9, WeightDecay: 5e-4, Nesterov: true));
model.Train();
for (int i = 0; i < batches.Count; i++)
{
    opt.ZeroGrad();
    var loss = model.Forward(batches[i].X).CrossEntropy(batches[i].Y);
    loss.Backward();
    if (i == 0)
        Npz.Save(Path.Combine(outDir, "grad0.npz"), model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Grad!.Clone()));
    opt.Step();
    Console.WriteLine($"{i} {loss.Item():F6}");
}
return 0;
