using System.Diagnostics;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.IO;

/// <summary>
/// The README's recipe: a PyTorch state_dict saved as .safetensors or .npz loads into the matching Nabla model
/// (same key names, same layouts, BatchNorm's running_mean, running_var and num_batches_tracked included) and the two
/// models give the same outputs; and the reverse, Nabla's safetensors loading into PyTorch. torch writes the files
/// with the format specs only (struct, zipfile), since the machine's torch has neither numpy nor the safetensors
/// package; where numpy is importable next to torch, the .npz is written with np.savez exactly as the README says.
/// </summary>
public class SafetensorsTorchTests
{
    private const string Models = """
        import json, struct, sys, zipfile
        import torch
        from torch import nn

        def make(kind):
            if kind == 'mlp':   # = Mlp.Create(new MlpOptions(Hidden: [32], BatchNorm: true, Dropout: 0.2))
                return nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 10))
            # = Cnn.Create(new CnnOptions(BatchNorm: true))
            return nn.Sequential(nn.Conv2d(1, 16, 5, padding=2), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 5, padding=2), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Flatten(), nn.Linear(32 * 7 * 7, 10))

        FORMATS = {torch.float32: ('F32', '<f4', 'f'), torch.float64: ('F64', '<f8', 'd'), torch.int64: ('I64', '<i8', 'q'), torch.int32: ('I32', '<i4', 'i')}

        def raw(t):
            t = t.detach().contiguous()
            return struct.pack('<%d%s' % (t.numel(), FORMATS[t.dtype][2]), *t.flatten().tolist())

        def save_safetensors(tensors, path):   # the safetensors spec: u64 header length, JSON header, raw data
            header, chunks, offset = {'__metadata__': {'format': 'pt'}}, [], 0
            for name, t in tensors.items():
                b = raw(t)
                header[name] = {'dtype': FORMATS[t.dtype][0], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
                chunks.append(b)
                offset += len(b)
            h = json.dumps(header).encode('utf-8')
            h += b' ' * (-len(h) % 8)
            open(path, 'wb').write(struct.pack('<Q', len(h)) + h + b''.join(chunks))

        def load_safetensors(path):
            data = open(path, 'rb').read()
            (n,) = struct.unpack('<Q', data[:8])
            header = json.loads(data[8:8 + n])
            header.pop('__metadata__', None)
            kinds = {v[0]: (k, v[2]) for k, v in FORMATS.items()}
            out = {}
            for name, e in header.items():
                dtype, code = kinds[e['dtype']]
                b, end = e['data_offsets']
                count = (end - b) // struct.calcsize(code)
                out[name] = torch.tensor(struct.unpack('<%d%s' % (count, code), data[8 + n + b:8 + n + end]), dtype=dtype).reshape(e['shape'])
            return out

        def save_npz(tensors, path):
            try:
                import numpy as np
                np.savez(path, **{k: v.numpy() for k, v in tensors.items()})     # the README's recipe
            except ImportError:                                                 # the .npy 1.0 spec inside a zip, as np.savez writes it
                with zipfile.ZipFile(path, 'w') as z:
                    for k, t in tensors.items():
                        shape = '(%s)' % ''.join('%d, ' % d for d in t.shape).rstrip(' ') if t.dim() != 1 else '(%d,)' % t.shape[0]
                        d = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (FORMATS[t.dtype][1], shape)
                        d += ' ' * (-(10 + len(d) + 1) % 64) + '\n'
                        z.writestr(k + '.npy', b'\x93NUMPY\x01\x00' + struct.pack('<H', len(d)) + d.encode('latin1') + raw(t))
        """;

    private const string Export = Models + """

        kind, fmt, out = sys.argv[1], sys.argv[2], sys.argv[3]
        torch.manual_seed(0)
        model = make(kind)
        model.train()
        with torch.no_grad():
            for _ in range(4):
                model(torch.randn(16, 1, 28, 28) * 2 + 0.5)      # the BatchNorm buffers move away from 0 and 1
        model.eval()
        x = torch.randn(6, 1, 28, 28)
        with torch.no_grad():
            y = model(x)
        state = model.state_dict()
        if fmt == 'safetensors':
            save_safetensors(state, out + '/model.safetensors')
        else:
            save_npz(state, out + '/model.npz')
        save_safetensors({'x': x, 'y': y}, out + '/io.safetensors')
        print(json.dumps({k: [str(v.dtype), list(v.shape)] for k, v in state.items()}))
        """;

    private const string Import = Models + """

        kind, path, io = sys.argv[1], sys.argv[2], sys.argv[3]
        model = make(kind)
        model.load_state_dict(load_safetensors(path), strict=True)
        model.eval()
        t = load_safetensors(io)
        with torch.no_grad():
            y = model(t['x'])
        print('%.3e %d' % ((y - t['y']).abs().max().item(), model[2].num_batches_tracked.item() if kind == 'mlp' else model[1].num_batches_tracked.item()))
        """;

    private static Module NablaModel(string kind) => kind == "mlp"
        ? Mlp.Create(new MlpOptions(Hidden: [32], BatchNorm: true, Dropout: 0.2), new Generator(3))
        : Cnn.Create(new CnnOptions(BatchNorm: true), new Generator(3));

    [TorchTheory]
    [InlineData("mlp", "safetensors")]
    [InlineData("mlp", "npz")]
    [InlineData("cnn", "safetensors")]
    [InlineData("cnn", "npz")]
    public void A_pytorch_state_dict_loads_into_the_matching_nabla_model(string kind, string format)
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = TorchPython.Run(Export, kind, format, dir.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"torch.int64\", []", stdout);                                   // num_batches_tracked came along

        var state = format == "safetensors" ? Safetensors.Load(dir.File("model.safetensors")) : Npz.Load(dir.File("model.npz"));
        var model = NablaModel(kind);
        model.LoadStateDict(state);                                                         // strict: every key, shape, dtype
        string bn = kind == "mlp" ? "2" : "1";
        Assert.Equal(4, model.StateDict()[bn + ".num_batches_tracked"].Item());
        Assert.NotEqual(0, model.StateDict()[bn + ".running_mean"].ToDoubleArray().Select(Math.Abs).Max());

        var io = Safetensors.Load(dir.File("io.safetensors"));
        model.Eval();
        using var _ = GradMode.NoGrad();
        TestUtil.AssertClose(io["y"].ToDoubleArray(), model.Invoke(io["x"]), 1e-5);
    }

    [TorchTheory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    public void A_nabla_state_dict_loads_into_the_matching_pytorch_model(string kind)
    {
        using var dir = new TempDir();
        var model = NablaModel(kind);
        model.Train();
        using (GradMode.NoGrad())
            for (int i = 0; i < 3; i++) model.Invoke(Tensor.Randn([8, 1, 28, 28], 0.5, 2, generator: new Generator((ulong)i)));
        model.Eval();
        var x = Tensor.Randn([5, 1, 28, 28], generator: new Generator(9));
        Tensor y;
        using (GradMode.NoGrad()) y = model.Invoke(x);
        Safetensors.Save(model.StateDict(), dir.File("nabla.safetensors"));
        Safetensors.Save(new Dictionary<string, Tensor> { ["x"] = x, ["y"] = y }, dir.File("io.safetensors"));

        var (code, stdout, stderr) = TorchPython.Run(Import, kind, dir.File("nabla.safetensors"), dir.File("io.safetensors"));
        Assert.True(code == 0, stderr);
        var parts = stdout.Trim().Split(' ');
        Assert.True(double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) <= 1e-5, $"PyTorch's output differs by {parts[0]}");
        Assert.Equal("3", parts[1]);
    }
}

/// <summary>Runs scripts in a python3 that can import torch (the first of python3 on PATH and /usr/bin/python3).</summary>
public static class TorchPython
{
    private static readonly Lazy<(string? Exe, string? Skip)> _probe = new(() =>
    {
        var tried = new List<string>();
        foreach (var exe in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                var (code, _, err) = Run(exe, "import torch");
                if (code == 0) return (exe, null);
                tried.Add($"{exe}: {err.Trim().Split('\n').Last()}");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                tried.Add($"{exe}: {e.Message}");
            }
        }
        return (null, "no python3 can import torch (" + string.Join("; ", tried) + ")");
    });

    public static string? SkipReason => _probe.Value.Skip;

    public static (int ExitCode, string StdOut, string StdErr) Run(string script, params string[] args) =>
        Run(_probe.Value.Exe ?? throw new InvalidOperationException(SkipReason), script, args);

    private static (int, string, string) Run(string exe, string script, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{exe} did not start");
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(180_000)) { p.Kill(); throw new TimeoutException($"{exe} took longer than 180 s"); }
        return (p.ExitCode, o.Result, e.Result);
    }
}

/// <summary>A theory skipped, with the reason shown, when no python3 can import torch.</summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute()
    {
        if (TorchPython.SkipReason is string reason) Skip = reason;
    }
}
