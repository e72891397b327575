using Nabla.Distributed.Mpi;

namespace Nabla.Distributed;

/// <summary>
/// A group of parameters of one dtype whose gradients are all-reduced together: a pinned flat buffer (so MPI may
/// read and write it while the garbage collector runs), each parameter's offset in it, and this step's progress.
/// </summary>
internal sealed class GradBucket
{
    private readonly Array _flat;   // float[] or double[], pinned

    public GradBucket(int index, IReadOnlyList<Tensor> parameters, DType dtype)
    {
        Index = index;
        Parameters = parameters;
        DType = dtype;
        Offsets = new int[parameters.Count];
        int n = 0;
        for (int i = 0; i < parameters.Count; i++) { Offsets[i] = n; n += parameters[i].Numel; }
        Count = n;
        _flat = dtype == DType.Float32 ? GC.AllocateArray<float>(n, pinned: true) : GC.AllocateArray<double>(n, pinned: true);
    }

    public int Index { get; }
    public IReadOnlyList<Tensor> Parameters { get; }
    public DType DType { get; }
    public int[] Offsets { get; }
    /// <summary>Elements in the flat buffer.</summary>
    public int Count { get; }
    public long Bytes => (long)Count * (DType == DType.Float32 ? 4 : 8);

    /// <summary>Parameters whose gradient has not yet arrived this step.</summary>
    public int Pending { get; set; }
    public MpiRequest? Request { get; set; }

    /// <summary>Copies a final gradient into the flat buffer at the parameter's offset.</summary>
    public void CopyIn(int slot, Tensor grad)
    {
        if (DType == DType.Float32) grad.AsSpan<float>().CopyTo(((float[])_flat).AsSpan(Offsets[slot], grad.Numel));
        else grad.AsSpan<double>().CopyTo(((double[])_flat).AsSpan(Offsets[slot], grad.Numel));
    }

    /// <summary>Writes the reduced sum times <paramref name="scale"/> back into every parameter's gradient.</summary>
    public void CopyOut(double scale)
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            var g = Parameters[i].Grad!;
            if (DType == DType.Float32)
                System.Numerics.Tensors.TensorPrimitives.Multiply(((float[])_flat).AsSpan(Offsets[i], g.Numel), (float)scale, g.AsSpan<float>());
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(((double[])_flat).AsSpan(Offsets[i], g.Numel), scale, g.AsSpan<double>());
        }
    }

    public MpiRequest Start(MpiProcessGroup group) =>
        DType == DType.Float32
            ? group.StartAllReduceSum((float[])_flat, Count, Describe())
            : group.StartAllReduceSum((double[])_flat, Count, Describe());

    public string Describe() => $"all-reduce of gradient bucket {Index} ({Parameters.Count} tensors, {Bytes / 1048576.0:0.###} MiB {DType.Name()})";
}
