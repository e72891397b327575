using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// An n-dimensional, row-major, strided array of float32 (default), float64 or int32 values that records the
/// operations applied to it when <see cref="RequiresGrad"/> is set, so that <see cref="Backward"/> can compute
/// gradients (define-by-run reverse mode, as in PyTorch).
/// </summary>
/// <remarks>
/// Views (reshape of a contiguous tensor, transpose, permute, narrow, slicing) share storage with their base:
/// a tensor is (storage, offset, shape, strides). Operations are extension members of the same namespace (the Ops folder), so this
/// type holds only storage, layout, gradient bookkeeping and raw (non-recording) data access.
/// </remarks>
public sealed partial class Tensor
{
    private readonly Array _array;      // float[], double[] or int[]; read it through StorageArray
    private readonly StoragePool.Lease? _lease;   // open while a pooled array is ours; null when not pooled
    internal readonly int[] _shape;
    internal readonly int[] _strides;
    internal readonly int _offset;

    internal Tensor(Array storage, int[] shape, int[] strides, int offset)
        : this(storage, shape, strides, offset, StoragePool.LeaseOf(storage)) { }

    private Tensor(Array storage, int[] shape, int[] strides, int offset, StoragePool.Lease? lease)
    {
        _array = storage;
        _lease = lease;
        _shape = shape;
        _strides = strides;
        _offset = offset;
        DType = storage switch
        {
            float[] => DType.Float32,
            double[] => DType.Float64,
            int[] => DType.Int32,
            _ => throw new ArgumentException($"unsupported storage {storage.GetType().Name}"),
        };
        Numel = ShapeUtil.Numel(shape);
    }

    /// <summary>The storage array for reading or writing data. Throws <see cref="FreedTensorException"/> once the
    /// array went back to the <see cref="StoragePool"/> (its contents then belong to someone else).</summary>
    internal Array StorageArray
    {
        get
        {
            if (IsFreed)
                throw new FreedTensorException($"Read of a tensor of shape {ShapeUtil.Format(_shape)} whose storage was recycled: it is {_lease!.ClosedFor}. " +
                    "Clone() it before Backward() to keep it, or do not recycle (Backward without freeIntermediates; TrainerOptions.FreeIntermediates: false)");
            return _array;
        }
    }

    /// <summary>The storage array as an identity only (never checked, never for reading data): the engine's
    /// recycling bookkeeping compares and returns storage with it.</summary>
    internal Array StorageKey => _array;

    /// <summary>Whether the storage is a rented <see cref="StoragePool"/> array (the only kind ever recycled).</summary>
    internal bool IsPooled => _lease is not null;

    /// <summary>A fresh contiguous tensor over <paramref name="storage"/> (not copied).</summary>
    internal Tensor(Array storage, int[] shape) : this(storage, shape, ShapeUtil.ContiguousStrides(shape), 0) { }

    /// <summary>Element type of the storage.</summary>
    public DType DType { get; }

    /// <summary>Sizes of every dimension (do not mutate).</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Element steps per dimension in the underlying storage.</summary>
    public ReadOnlySpan<int> Strides => _strides;

    /// <summary>Index in the storage of the first element (nonzero for some views).</summary>
    public int Offset => _offset;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Numel { get; }

    /// <summary>Size of one dimension; negative dims count from the end.</summary>
    public int Size(int dim) => _shape[ShapeUtil.WrapDim(dim, Rank)];

    /// <summary>True when the elements lie row-major with no gaps (strides as <c>Contiguous()</c> would give).</summary>
    public bool IsContiguous
    {
        get
        {
            if (Numel == 0) return true;   // an empty tensor has no element out of place
            int acc = 1;
            for (int i = _shape.Length - 1; i >= 0; i--)
            {
                if (_shape[i] != 1 && _strides[i] != acc) return false;
                acc *= _shape[i];
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- autograd bookkeeping

    private bool _requiresGrad;

    /// <summary>Whether operations on this tensor are recorded for <see cref="Backward"/>. Only floating-point
    /// tensors can require gradients.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (value && !DType.IsFloatingPoint())
                throw DTypeMismatchException.Unsupported("RequiresGrad", DType);
            if (!value && GradFn is not null)
                throw new AutogradException("RequiresGrad: cannot clear it on a non-leaf tensor; use Detach()");
            _requiresGrad = value;
        }
    }

    /// <summary>Accumulated gradient of a leaf tensor after <see cref="Backward"/> (null before the first one).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The node that produced this tensor, or null for a leaf.</summary>
    public Node? GradFn { get; internal set; }

    /// <summary>True when no recorded op produced this tensor (<see cref="GradFn"/> is null): a parameter or an input.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (fluent, like <c>requires_grad_()</c>).</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Reverse-mode differentiation from this tensor. A scalar output seeds with 1; otherwise pass the
    /// upstream gradient (same shape). <paramref name="freeIntermediates"/>: the storage of the tensors computed inside
    /// the graph (other than this one, the leaves and inputs that need no gradient) goes back to the pool for the next
    /// step; a tensor over it that someone kept (or a view or Detach() of one) throws <see cref="FreedTensorException"/>
    /// on its next read, naming the op that produced it (PyTorch frees them by reference counting instead; see
    /// <see cref="Engine.Backward"/>). <see cref="Training.Trainer"/> turns it on by default.</summary>
    public void Backward(Tensor? gradOutput = null, bool retainGraph = false, bool freeIntermediates = false) =>
        Engine.Backward(this, gradOutput, retainGraph, freeIntermediates);

    /// <summary>The same data, cut from the graph (shares storage; never requires grad).</summary>
    public Tensor Detach() => new(StorageArray, _shape, _strides, _offset, _lease) { IsWrappedNumber = IsWrappedNumber };

    /// <summary>Clears the gradient buffer in place (keeps it allocated, like <c>zero_grad(set_to_none=False)</c>).</summary>
    public void ZeroGrad() => Grad?.Fill_(0);

    // ---------------------------------------------------------------- raw data access (never recorded)

    /// <summary>The storage array (float[], double[] or int[]; throws once recycled); element (i0..ik) sits at Offset + Σ i_d·Strides[d].</summary>
    internal T[] Storage<T>() => StorageArray as T[] ?? throw DTypeMismatchException.For("Storage", DTypeExtensions.Of<T>(), DType);

    /// <summary>The elements of a contiguous tensor as a span over its storage (writes go to the tensor).</summary>
    public Span<T> AsSpan<T>()
    {
        if (!IsContiguous) throw new NablaException($"AsSpan: tensor of shape {ShapeUtil.Format(_shape)} is not contiguous; call Contiguous() first");
        return new Span<T>(Storage<T>(), _offset, Numel);
    }

    /// <summary>A contiguous copy of the elements in row-major order.</summary>
    public T[] ToArray<T>()
    {
        var dst = new T[Numel];
        Strided.Copy(Storage<T>(), _offset, _shape, _strides, dst);
        return dst;
    }

    /// <summary>All elements converted to double, in row-major order.</summary>
    public double[] ToDoubleArray() => DType switch
    {
        DType.Float64 => ToArray<double>(),
        DType.Float32 => Array.ConvertAll(ToArray<float>(), v => (double)v),
        _ => Array.ConvertAll(ToArray<int>(), v => (double)v),
    };

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        if (Numel != 1) throw new NablaException($"Item: tensor of shape {ShapeUtil.Format(_shape)} has {Numel} elements, not 1");
        return At(new int[Rank]);
    }

    /// <summary>One element by its full index (negative indices count from the end).</summary>
    public double At(params int[] index)
    {
        int o = StorageIndex(index);
        return DType switch
        {
            DType.Float32 => ((float[])StorageArray)[o],
            DType.Float64 => ((double[])StorageArray)[o],
            _ => ((int[])StorageArray)[o],
        };
    }

    /// <summary>Writes one element by its full index (raw write: not recorded by autograd).</summary>
    public void SetAt(double value, params int[] index)
    {
        int o = StorageIndex(index);
        BumpVersion();
        switch (DType)
        {
            case DType.Float32: ((float[])StorageArray)[o] = (float)value; break;
            case DType.Float64: ((double[])StorageArray)[o] = value; break;
            default: ((int[])StorageArray)[o] = checked((int)value); break;
        }
    }

    private int StorageIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"At: {index.Length} indices given for a tensor of rank {Rank} (shape {ShapeUtil.Format(_shape)})");
        int o = _offset;
        for (int d = 0; d < index.Length; d++)
        {
            int i = index[d] < 0 ? index[d] + _shape[d] : index[d];
            if ((uint)i >= (uint)_shape[d])
                throw new IndexOutOfRangeException($"At: index {index[d]} is out of range for dim {d} of size {_shape[d]}");
            o += i * _strides[d];
        }
        return o;
    }

    /// <summary>This tensor if it is contiguous, otherwise a contiguous copy (raw: not recorded; the recorded
    /// version is the <c>Contiguous()</c> op).</summary>
    internal Tensor ContiguousRaw()
    {
        return IsContiguous ? this : Clone_Raw();
    }

    /// <summary>A view over the same storage with another layout (no checks beyond bounds; used by view ops).</summary>
    internal Tensor AsStrided(int[] shape, int[] strides, int offset) => new(StorageArray, shape, strides, offset, _lease);

    /// <summary>Fills every element in place (raw: not recorded; counted in <see cref="Version"/>). Returns this.</summary>
    public Tensor Fill_(double value)
    {
        FillRaw(value);
        BumpVersion();
        return this;
    }

    /// <summary><see cref="Fill_"/> without counting the write: for a buffer an op has just made (its output or a
    /// gradient), which no node can have saved.</summary>
    internal Tensor FillRaw(double value)
    {
        if (IsContiguous)
        {
            // One block fill (a memset for zero) instead of the row-by-row strided loop.
            switch (DType)
            {
                case DType.Float32: AsSpan<float>().Fill((float)value); break;
                case DType.Float64: AsSpan<double>().Fill(value); break;
                default: AsSpan<int>().Fill(checked((int)value)); break;
            }
            return this;
        }
        switch (DType)
        {
            case DType.Float32: Strided.Fill(Storage<float>(), _offset, _shape, _strides, (float)value); break;
            case DType.Float64: Strided.Fill(Storage<double>(), _offset, _shape, _strides, value); break;
            default: Strided.Fill(Storage<int>(), _offset, _shape, _strides, checked((int)value)); break;
        }
        return this;
    }

    /// <summary>Copies the elements of <paramref name="source"/> (same shape and dtype) into this tensor in place (raw:
    /// not recorded; counted in <see cref="Version"/>).</summary>
    public Tensor CopyFrom_(Tensor source)
    {
        CopyFromRaw(source);
        BumpVersion();
        return this;
    }

    /// <summary><see cref="CopyFrom_"/> without counting the write: for a buffer an op has just made.</summary>
    internal Tensor CopyFromRaw(Tensor source)
    {
        if (!ShapeUtil.SameShape(_shape, source._shape))
            throw ShapeMismatchException.For("CopyFrom_", "shapes must be equal", _shape, source._shape);
        if (DType != source.DType) throw DTypeMismatchException.For("CopyFrom_", DType, source.DType);
        switch (DType)
        {
            case DType.Float32: Strided.CopyStrided(source.Storage<float>(), source._offset, source._strides, Storage<float>(), _offset, _strides, _shape); break;
            case DType.Float64: Strided.CopyStrided(source.Storage<double>(), source._offset, source._strides, Storage<double>(), _offset, _strides, _shape); break;
            default: Strided.CopyStrided(source.Storage<int>(), source._offset, source._strides, Storage<int>(), _offset, _strides, _shape); break;
        }
        return this;
    }

    /// <summary>A copy converted to another dtype (not recorded; to keep gradients use the <c>To</c> op).</summary>
    internal Tensor ToDTypeRaw(DType dtype)
    {
        if (dtype == DType) return Clone_Raw();
        var shape = _shape.ToArray();
        switch (DType, dtype)
        {
            case (DType.Float32, DType.Float64): return new Tensor(Array.ConvertAll(ToArray<float>(), v => (double)v), shape);
            case (DType.Float64, DType.Float32): return new Tensor(Array.ConvertAll(ToArray<double>(), v => (float)v), shape);
            case (DType.Int32, DType.Float32): return new Tensor(Array.ConvertAll(ToArray<int>(), v => (float)v), shape);
            case (DType.Int32, DType.Float64): return new Tensor(Array.ConvertAll(ToArray<int>(), v => (double)v), shape);
            case (DType.Float32, DType.Int32): return new Tensor(Array.ConvertAll(ToArray<float>(), v => checked((int)v)), shape);
            case (DType.Float64, DType.Int32): return new Tensor(Array.ConvertAll(ToArray<double>(), v => checked((int)v)), shape);
        }
        throw DTypeMismatchException.For("To", DType, dtype);
    }

    /// <summary>A contiguous copy with its own storage (raw: not recorded).</summary>
    internal Tensor Clone_Raw() => DType switch
    {
        DType.Float32 => new Tensor(ToArray<float>(), _shape.ToArray()),
        DType.Float64 => new Tensor(ToArray<double>(), _shape.ToArray()),
        _ => new Tensor(ToArray<int>(), _shape.ToArray()),
    };
}
