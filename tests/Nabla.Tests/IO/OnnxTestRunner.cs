using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using Nabla.IO.Onnx;
using Nabla.NN;

namespace Nabla.Tests.IO;

/// <summary>Runs exported models in ONNX Runtime and compares them with Nabla; checks files with Debian's python3-onnx.</summary>
public static class OnnxTestRunner
{
    /// <summary>Runs the ONNX model <paramref name="model"/> (bytes) on <paramref name="input"/>; returns the first
    /// output as doubles and its shape.</summary>
    public static (double[] Values, long[] Shape) Run(byte[] model, Tensor input, string inputName = "input")
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        long[] shape = input.Shape.ToArray().Select(d => (long)d).ToArray();
        using var value = input.DType switch
        {
            DType.Float32 => OrtValue.CreateTensorValueFromMemory(input.ToArray<float>(), shape),
            DType.Float64 => OrtValue.CreateTensorValueFromMemory(input.ToArray<double>(), shape),
            _ => OrtValue.CreateTensorValueFromMemory(input.ToArray<int>(), shape),
        };
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], [session.OutputNames[0]]);
        var y = outputs[0];
        var info = y.GetTensorTypeAndShape();
        double[] values = info.ElementDataType switch
        {
            TensorElementType.Float => y.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray(),
            TensorElementType.Double => y.GetTensorDataAsSpan<double>().ToArray(),
            var t => throw new InvalidOperationException($"unexpected output type {t}"),
        };
        return (values, info.Shape);
    }

    /// <summary>Nabla's eval-mode output for <paramref name="input"/>.</summary>
    public static Tensor Reference(Module model, Tensor input)
    {
        var modes = model.NamedModules().Select(m => (m.Module, m.Module.Training)).ToList();
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            return model.Invoke(input);
        }
        finally
        {
            foreach (var (m, t) in modes) m.Train(t);
        }
    }

    /// <summary>Exports <paramref name="model"/>, runs it in ONNX Runtime on each of <paramref name="inputs"/> (the
    /// first is the sample) and asserts |onnx − nabla| ≤ tol·max(1, |nabla|) element-wise and equal shapes.
    /// Returns the largest absolute difference.</summary>
    public static double AssertMatches(Module model, OnnxExportOptions? options, double tol, params Tensor[] inputs)
    {
        byte[] bytes = new OnnxExporter().ExportBytes(model, inputs[0], options);
        double worst = 0;
        foreach (var x in inputs)
        {
            var expected = Reference(model, x);
            var (actual, shape) = Run(bytes, x, options?.InputName ?? "input");
            Assert.Equal(expected.Shape.ToArray(), shape.Select(d => (int)d).ToArray());
            var e = expected.ToDoubleArray();
            for (int i = 0; i < e.Length; i++)
            {
                double d = Math.Abs(e[i] - actual[i]);
                worst = Math.Max(worst, d);
                Assert.True(d <= tol * Math.Max(1, Math.Abs(e[i])), $"element {i}: nabla {e[i]}, onnx runtime {actual[i]} (|diff| {d:E2} > {tol:E0})");
            }
        }
        return worst;
    }

    private static readonly Lazy<string?> _checkerSkip = new(() =>
    {
        try
        {
            var (code, _, err) = Python("import onnx, onnx.checker");
            return code == 0 ? null : $"/usr/bin/python3 cannot import onnx (apt-get install python3-onnx): {err.Trim().Split('\n').Last()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"python3 is not available ({e.Message})";
        }
    });

    /// <summary>Null when Debian's python3-onnx can be imported, else why not.</summary>
    public static string? CheckerSkipReason => _checkerSkip.Value;

    /// <summary>Runs onnx.checker.check_model(full_check = True) on the file; returns (exit code, output).</summary>
    public static (int ExitCode, string Output) Check(string path)
    {
        var (code, output, err) = Python(
            "import sys, onnx\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\n" +
            "print('ok', m.ir_version, m.opset_import[0].version, len(m.graph.node))", path);
        return (code, output + err);
    }

    private static (int, string, string) Python(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(); throw new TimeoutException("python3 took longer than 120 s"); }
        return (p.ExitCode, o.Result, e.Result);
    }
}

/// <summary>A fact skipped, with the reason shown, when Debian's python3-onnx (the ONNX checker) is absent.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (OnnxTestRunner.CheckerSkipReason is string reason) Skip = reason;
    }
}
