using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Cli.Composition;
using Nabla.IO;
using Nabla.IO.Onnx;
using Nabla.NN;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla export RUN_DIR --format onnx|safetensors</c>: rebuilds the model of a <c>nabla train</c> run from
/// RUN_DIR/config.json and RUN_DIR/model.npz (as <c>nabla eval</c> does) and writes it as ONNX (RUN_DIR/model.onnx,
/// dynamic batch) or as safetensors (RUN_DIR/model.safetensors, the state dict under PyTorch's key names).</summary>
public static class ExportCommand
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static readonly string[] Formats = ["onnx", "safetensors"];

    /// <summary>Builds the <c>nabla export</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var dir = new Argument<string>("run") { Description = "a folder written by 'nabla train' (config.json + model.npz)" };
        var format = new Option<string>("--format") { Description = "onnx or safetensors", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong(Formats);
        var output = new Option<string?>("--out") { Description = "output file (default: RUN_DIR/model.onnx or RUN_DIR/model.safetensors)" };
        var opset = new Option<int>("--opset")
        {
            Description = $"ONNX opset, {OnnxExportOptions.MinOpset}–{OnnxExportOptions.MaxOpset} (GELU is ONNX's Gelu op from 20)",
            DefaultValueFactory = _ => 17,
        };
        var softmax = new Option<bool>("--softmax") { Description = "onnx: append a softmax, so the model outputs probabilities instead of logits" };
        var input = new Option<string?>("--input-shape") { Description = "one example's shape C,H,W (default: from the run's data set)" };
        var cmd = new Command("export", "write a trained model as ONNX or safetensors") { dir, format, output, opset, softmax, input };
        cmd.SetAction(p => CliErrors.Run("export", () =>
            Run(p.GetValue(dir)!, p.GetValue(format)!, p.GetValue(output), p.GetValue(opset), p.GetValue(softmax),
                TrainCommand.ParseInts(p.GetValue(input), "--input-shape"), Console.Out)));
        return cmd;
    }

    /// <summary>Exports the run in <paramref name="run"/>; returns the written file's path.</summary>
    public static string Run(string run, string format, string? outPath, int opset, bool softmax, int[]? inputShape, TextWriter log)
    {
        if (!Formats.Contains(format)) throw new ArgumentException($"--format must be one of {string.Join(", ", Formats)}, got '{format}'");
        var (o, state) = LoadRun(run);
        string path = outPath ?? Path.Combine(run, "model." + format);
        if (format == "safetensors")
        {
            Safetensors.Save(state, path, new Dictionary<string, string> { ["format"] = "pt", ["nabla_model"] = o.Model });
            log.WriteLine($"wrote {path}: {state.Count} tensors ({new FileInfo(path).Length:N0} bytes), PyTorch state-dict names");
            return path;
        }
        int[] shape = inputShape ?? DefaultInputShape(run, o);
        var model = ModelFactory.Create(o, shape, Classes(state, run), new Generator(0));
        model.LoadStateDict(state);
        var options = new OnnxExportOptions(Opset: opset, Softmax: softmax);
        model.ExportOnnx(path, Tensor.Zeros([1, .. shape]), options);
        log.WriteLine($"wrote {path}: {o.Model}, opset {opset}, input '{options.InputName}' [N, {string.Join(", ", shape)}] float32, " +
                      $"output '{options.OutputName}' [N, {Classes(state, run)}] {(softmax ? "probabilities" : "logits")} ({new FileInfo(path).Length:N0} bytes)");
        return path;
    }

    private static (TrainOptions Options, Dictionary<string, Tensor> State) LoadRun(string run)
    {
        string configPath = Path.Combine(run, "config.json"), modelPath = Path.Combine(run, "model.npz");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{configPath} not found: is '{run}' an output folder of 'nabla train'?");
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath} not found: did the training in '{run}' finish?");
        var o = JsonSerializer.Deserialize<TrainOptions>(BoundedText.ReadAllText(configPath), Json.Options)
            ?? throw new InvalidOperationException($"{configPath} is empty");
        return (o.Resolved(), Npz.Load(modelPath));
    }

    /// <summary>The class count is the row count of the last Linear's weight (the logits layer of every CLI model: the
    /// 2-d "K.weight" with the largest layer index K).</summary>
    private static int Classes(Dictionary<string, Tensor> state, string run)
    {
        var last = state.Where(kv => kv.Key.EndsWith(".weight", StringComparison.Ordinal) && kv.Value.Rank == 2)
            .OrderBy(kv => int.TryParse(kv.Key.Split('.')[0], out int k) ? k : -1).Select(kv => kv.Value).LastOrDefault();
        return last?.Size(0) ?? throw new InvalidOperationException($"{run}/model.npz has no 2-d weight (the classifier layer)");
    }

    /// <summary>"input_shape" from config.json when the run recorded it, else the MNIST-family image shape.</summary>
    private static int[] DefaultInputShape(string run, TrainOptions o)
    {
        var node = JsonNode.Parse(BoundedText.ReadAllText(Path.Combine(run, "config.json")))?["input_shape"];
        if (node is JsonArray a) return a.Select(v => (int)v!).ToArray();
        if (o.Data is "mnist" or "fashion-mnist") return [1, 28, 28];
        throw new ArgumentException($"the input shape of data set '{o.Data}' is not recorded in {run}/config.json; pass --input-shape C,H,W");
    }
}
