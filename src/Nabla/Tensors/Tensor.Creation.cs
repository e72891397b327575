namespace Nabla;

// Creation functions (torch.zeros, torch.arange, torch.randn, ...). Never recorded by autograd. A dtype left out
// (null) is the default floating dtype, Nabla.DefaultDType.Current (float32 unless set, like torch.get_default_dtype()).
public sealed partial class Tensor
{
    private static Array NewStorage(DType dtype, int n) => dtype switch
    {
        DType.Float32 => new float[n],
        DType.Float64 => new double[n],
        DType.Int32 => new int[n],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    private static int[] CheckShape(ReadOnlySpan<int> shape, string op)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"{op}: negative size in shape {ShapeUtil.Format(shape)}");
        return shape.ToArray();
    }

    /// <summary>An uninitialised-by-contract (actually zeroed) tensor; fill it before reading.</summary>
    public static Tensor Empty(int[] shape, DType? dtype = null)
    {
        var s = CheckShape(shape, nameof(Empty));
        return new Tensor(NewStorage(Nabla.DefaultDType.Resolve(dtype), ShapeUtil.Numel(s)), s);
    }

    /// <summary>The default floating dtype of the current async flow (<see cref="Nabla.DefaultDType.Current"/>), like
    /// <c>torch.get_default_dtype()</c>.</summary>
    public static DType GetDefaultDType() => Nabla.DefaultDType.Current;

    /// <summary>Sets the default floating dtype of creation functions and module constructors for the current async flow,
    /// like <c>torch.set_default_dtype</c> (see <see cref="Nabla.DefaultDType"/>; prefer the scoped <see cref="Nabla.DefaultDType.Scope"/>).</summary>
    public static void SetDefaultDType(DType dtype) => Nabla.DefaultDType.Set(dtype);

    /// <summary>The default floating dtype of creation functions and module constructors in the current async flow
    /// (float32 unless set): reading it is <see cref="GetDefaultDType"/>, setting it <see cref="SetDefaultDType"/>.</summary>
    public static DType DefaultDType
    {
        get => Nabla.DefaultDType.Current;
        set => Nabla.DefaultDType.Set(value);
    }

    /// <summary>Makes <paramref name="dtype"/> the default floating dtype until the returned scope is disposed, even by an
    /// exception: <c>using (Tensor.UseDType(DType.Float64)) { ... }</c>. Scopes nest; only float32 and float64 are allowed.</summary>
    public static Nabla.DefaultDType.RestoreScope UseDType(DType dtype) => Nabla.DefaultDType.Scope(dtype);

    /// <summary>Zeros of <paramref name="shape"/> (torch.zeros); the default dtype when <paramref name="dtype"/> is null.</summary>
    public static Tensor Zeros(int[] shape, DType? dtype = null, bool requiresGrad = false) =>
        Empty(shape, dtype).RequiresGrad_(requiresGrad);

    /// <summary>Zeros of the given sizes in the default dtype: <c>Tensor.Zeros(2, 3)</c>.</summary>
    public static Tensor Zeros(params int[] shape) => Zeros(shape, null);

    /// <summary>Ones of <paramref name="shape"/> (torch.ones); the default dtype when <paramref name="dtype"/> is null.</summary>
    public static Tensor Ones(int[] shape, DType? dtype = null, bool requiresGrad = false) =>
        Full(shape, 1, dtype, requiresGrad);

    /// <summary>Ones of the given sizes in the default dtype: <c>Tensor.Ones(2, 3)</c>.</summary>
    public static Tensor Ones(params int[] shape) => Ones(shape, null);

    /// <summary><paramref name="value"/> everywhere (torch.full); the default dtype when <paramref name="dtype"/> is null.</summary>
    public static Tensor Full(int[] shape, double value, DType? dtype = null, bool requiresGrad = false) =>
        Empty(shape, dtype).FillRaw(value).RequiresGrad_(requiresGrad);

    /// <summary>Zeros of <paramref name="t"/>'s shape and dtype (not requiring grad).</summary>
    public static Tensor ZerosLike(Tensor t) => Empty(t._shape, t.DType);

    /// <summary>Ones of <paramref name="t"/>'s shape and dtype (not requiring grad).</summary>
    public static Tensor OnesLike(Tensor t) => Full(t._shape, 1, t.DType);

    /// <summary><paramref name="value"/> in <paramref name="t"/>'s shape and dtype (not requiring grad).</summary>
    public static Tensor FullLike(Tensor t, double value) => Full(t._shape, value, t.DType);

    /// <summary>A 0-d tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType? dtype = null) => Full([], value, dtype);

    /// <summary>Values start, start+step, ... below end (like <c>torch.arange</c>).</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType? dtype = null)
    {
        if (step == 0) throw new ArgumentException("Arange: step must be nonzero");
        int n = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var t = Empty([n], dtype);
        for (int i = 0; i < n; i++) t.SetAt(start + i * step, i);
        return t;
    }

    /// <summary>0, 1, ..., end − 1 (torch.arange(end)).</summary>
    public static Tensor Arange(int end, DType? dtype = null) => Arange(0, end, 1, dtype);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(double start, double end, int steps, DType? dtype = null)
    {
        if (steps < 0) throw new ArgumentException("Linspace: steps must be non-negative");
        var t = Empty([steps], dtype);
        double h = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) t.SetAt(i == steps - 1 ? end : start + i * h, i);
        return t;
    }

    /// <summary>A tensor over a copy of <paramref name="data"/> with the given shape (default: 1-d).</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => FromArrayCore((float[])data.Clone(), shape);

    /// <summary>A float64 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-d).</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => FromArrayCore((double[])data.Clone(), shape);

    /// <summary>An int32 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-d).</summary>
    public static Tensor FromArray(int[] data, params int[] shape) => FromArrayCore((int[])data.Clone(), shape);

    /// <summary>A float32 matrix [rows, columns] copied from <paramref name="data"/>.</summary>
    public static Tensor FromArray(float[,] data) => FromArrayCore(Flatten<float>(data), [data.GetLength(0), data.GetLength(1)]);

    /// <summary>A float64 matrix [rows, columns] copied from <paramref name="data"/>.</summary>
    public static Tensor FromArray(double[,] data) => FromArrayCore(Flatten<double>(data), [data.GetLength(0), data.GetLength(1)]);

    /// <summary>A tensor that takes ownership of <paramref name="data"/> without copying (writes show through).</summary>
    public static Tensor Wrap(Array data, params int[] shape) => FromArrayCore(data, shape);

    private static T[] Flatten<T>(T[,] data)
    {
        var flat = new T[data.Length];
        int k = 0;
        foreach (var v in data) flat[k++] = v;
        return flat;
    }

    private static Tensor FromArrayCore(Array data, int[] shape)
    {
        if (shape.Length == 0) shape = [data.Length];
        var s = CheckShape(shape, nameof(FromArray));
        if (ShapeUtil.Numel(s) != data.Length)
            throw ShapeMismatchException.For(nameof(FromArray), $"{data.Length} values do not fill the shape", s);
        return new Tensor(data, s);
    }

    /// <summary>Uniform samples in [low, high).</summary>
    public static Tensor Rand(int[] shape, double low = 0, double high = 1, DType? dtype = null, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var t = Empty(shape, dtype);
        switch (t.DType)
        {
            case DType.Float32: { var d = t.AsSpan<float>(); for (int i = 0; i < d.Length; i++) d[i] = (float)(low + (high - low) * g.NextDouble()); break; }
            case DType.Float64: { var d = t.AsSpan<double>(); for (int i = 0; i < d.Length; i++) d[i] = low + (high - low) * g.NextDouble(); break; }
            default: throw DTypeMismatchException.Unsupported(nameof(Rand), t.DType);
        }
        return t;
    }

    /// <summary>Uniform samples in [0, 1) of the given sizes, default dtype, from <see cref="Generator.Default"/>.</summary>
    public static Tensor Rand(params int[] shape) => Rand(shape, 0, 1);

    /// <summary>Normal samples with the given mean and standard deviation.</summary>
    public static Tensor Randn(int[] shape, double mean = 0, double std = 1, DType? dtype = null, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var t = Empty(shape, dtype);
        switch (t.DType)
        {
            case DType.Float32: { var d = t.AsSpan<float>(); for (int i = 0; i < d.Length; i++) d[i] = (float)(mean + std * g.NextGaussian()); break; }
            case DType.Float64: { var d = t.AsSpan<double>(); for (int i = 0; i < d.Length; i++) d[i] = mean + std * g.NextGaussian(); break; }
            default: throw DTypeMismatchException.Unsupported(nameof(Randn), t.DType);
        }
        return t;
    }

    /// <summary>Standard normal samples of the given sizes, default dtype, from <see cref="Generator.Default"/>.</summary>
    public static Tensor Randn(params int[] shape) => Randn(shape, 0, 1);

    /// <summary>Uniform integers in [low, high) as an int32 tensor (labels, token ids).</summary>
    public static Tensor RandInt(int low, int high, int[] shape, Generator? generator = null)
    {
        if (high <= low) throw new ArgumentException($"RandInt: high ({high}) must exceed low ({low})");
        var g = generator ?? Generator.Default;
        var t = Empty(shape, DType.Int32);
        var d = t.AsSpan<int>();
        for (int i = 0; i < d.Length; i++) d[i] = low + g.NextInt(high - low);
        return t;
    }

    /// <summary>The identity matrix.</summary>
    public static Tensor Eye(int n, DType? dtype = null)
    {
        var t = Zeros([n, n], dtype);
        for (int i = 0; i < n; i++) t.SetAt(1, i, i);
        return t;
    }
}
