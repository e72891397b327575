using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>Cross-checks with NumPy itself (skipped with a reason when python3 + numpy is absent).</summary>
public class NumpyInteropTests
{
    [NumpyFact]
    public void Numpy_loads_what_Nabla_writes()
    {
        using var dir = new TempDir();
        string path = dir.File("from_nabla.npz");
        Npz.Save(path, new Dictionary<string, Tensor>
        {
            ["layers.0.weight"] = Tensor.Arange(24).Reshape(2, 3, 4).Permute(1, 2, 0),    // non-contiguous
            ["model/bias"] = Tensor.FromArray([0.5, -1.5, 2.25]),
            ["ids"] = Tensor.FromArray([7, -3]),
            ["scalar"] = Tensor.Scalar(2.5),
            ["empty"] = Tensor.Zeros(0, 3),
        });
        const string script = """
            import sys, numpy as np
            z = np.load(sys.argv[1])
            a = np.arange(24, dtype=np.float32).reshape(2, 3, 4).transpose(1, 2, 0)
            checks = [
                sorted(z.files) == sorted(['layers.0.weight', 'model/bias', 'ids', 'scalar', 'empty']),
                z['layers.0.weight'].dtype == np.float32 and np.array_equal(z['layers.0.weight'], a),
                z['model/bias'].dtype == np.float64 and z['model/bias'].tolist() == [0.5, -1.5, 2.25],
                z['ids'].dtype == np.int32 and z['ids'].tolist() == [7, -3],
                z['scalar'].shape == () and z['scalar'] == 2.5,
                z['empty'].shape == (0, 3),
            ]
            print(checks)
            """;
        var (code, stdout, stderr) = NumpyPython.Run(script, path);
        Assert.True(code == 0, stderr);
        Assert.Equal("[True, True, True, True, True, True]", stdout.Trim());
    }

    [NumpyFact]
    public void Nabla_reads_what_numpy_writes_and_writes_identical_npy_bytes()
    {
        using var dir = new TempDir();
        string npz = dir.File("from_numpy.npz"), npy = dir.File("w.npy");
        const string script = """
            import sys, numpy as np
            np.savez(sys.argv[1], **{'conv1.weight': np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 3, 2, 2),
                                     'y': np.array([[1, 2], [3, 4]], dtype=np.int32).T,
                                     'd': np.float64(1) / 3})
            np.save(sys.argv[2], np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 3, 2, 2))
            """;
        var (code, _, stderr) = NumpyPython.Run(script, npz, npy);
        Assert.True(code == 0, stderr);

        var z = Npz.Load(npz);
        var w = z["conv1.weight"];
        TestUtil.AssertShape(w, 2, 3, 2, 2);
        var expected = Enumerable.Range(0, 24).Select(i => (double)(float)(-1 + 2.0 * i / 23)).ToArray();
        TestUtil.AssertClose(expected, w, 1e-6);
        Assert.Equal([1, 3, 2, 4], z["y"].ToArray<int>());      // the transpose is stored Fortran-ordered by numpy
        Assert.Equal(1.0 / 3, z["d"].Item());

        // np.save and Npy.Write produce the same bytes for the same array.
        using var ms = new MemoryStream();
        Npy.Write(ms, Npy.Load(npy));
        Assert.Equal(File.ReadAllBytes(npy), ms.ToArray());
    }
}
