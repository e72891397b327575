using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Nabla.Distributed.Mpi;

/// <summary>
/// The processes of one <c>mpirun</c> job (<c>MPI_COMM_WORLD</c>), like PyTorch's <c>ProcessGroupMPI</c>: rank, size,
/// barrier, broadcast and sum all-reduce on float32/float64 buffers, blocking or not. Errors return codes
/// (<c>MPI_ERRORS_RETURN</c>) that become <see cref="DistributedException"/>s naming the rank and the call, and every
/// wait gives up after <see cref="Timeout"/> (<see cref="DistributedTimeoutException"/>): no collective hangs forever on
/// a dead peer. <see cref="Abort"/> ends every rank of the job.
/// </summary>
/// <remarks>
/// MPI can be initialised once per process, so there is one instance: <see cref="Initialize"/> returns it, and
/// <see cref="Shutdown"/> finalises MPI at the end of the process. Blocking collectives are the non-blocking ones
/// followed by a polled wait, so the timeout covers them too.
/// </remarks>
public sealed class MpiProcessGroup
{
    private static MpiProcessGroup? _world;
    private static readonly Lock Gate = new();
    private readonly MpiHandles _h;

    private MpiProcessGroup(MpiHandles handles, int rank, int size, int threadLevel, TimeSpan timeout)
    {
        _h = handles;
        Rank = rank;
        Size = size;
        ThreadLevel = threadLevel;
        Timeout = timeout;
    }

    /// <summary>This process's rank, 0 .. <see cref="Size"/>-1.</summary>
    public int Rank { get; }

    /// <summary>Number of processes in the job (the world size).</summary>
    public int Size { get; }

    /// <summary>The thread support level MPI granted (3 = MPI_THREAD_MULTIPLE).</summary>
    public int ThreadLevel { get; }

    /// <summary>How long any wait on a collective may take before the job is declared broken.</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>Initialises MPI (once per process) with errors returned as codes, and returns the world group.</summary>
    public static unsafe MpiProcessGroup Initialize(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), $"MpiProcessGroup: timeout must be positive, got {timeout}");
        lock (Gate)
        {
            if (_world is not null) { _world.Timeout = timeout; return _world; }
            var handles = MpiHandles.Load(MpiLibrary.Handle);
            int flag = 0;
            MpiNative.Finalized(&flag);
            if (flag != 0) throw new DistributedException("MPI was already finalised in this process; it cannot be initialised again");
            MpiNative.Initialized(&flag);
            int provided = 0;
            if (flag == 0)
            {
                int rc = MpiNative.InitThread(0, 0, MpiNative.ThreadMultiple, &provided);
                if (rc != MpiNative.Success) throw new DistributedException($"MPI_Init_thread failed with error code {rc}");
            }
            int rank = 0, size = 0;
            MpiNative.CommSetErrhandler(handles.CommWorld, handles.ErrorsReturn);
            MpiNative.CommRank(handles.CommWorld, &rank);
            MpiNative.CommSize(handles.CommWorld, &size);
            return _world = new MpiProcessGroup(handles, rank, size, provided, timeout);
        }
    }

    /// <summary>The group if <see cref="Initialize"/> ran in this process.</summary>
    public static MpiProcessGroup? Current => _world;

    /// <summary>Finalises MPI if it was initialised (all ranks must call it; a no-op otherwise).</summary>
    public static unsafe void Shutdown()
    {
        lock (Gate)
        {
            if (_world is null) return;
            int flag = 0;
            MpiNative.Finalized(&flag);
            if (flag == 0) MpiNative.Finalize();
        }
    }

    /// <summary>Ends every process of the job (<c>MPI_Abort</c>); mpirun reports this rank and the code.</summary>
    public void Abort(int errorCode) => MpiNative.Abort(_h.CommWorld, errorCode);

    /// <summary>Waits until every rank has reached this point (or the timeout passes).</summary>
    public unsafe void Barrier()
    {
        nint r;
        Check(MpiNative.Ibarrier(_h.CommWorld, &r), "MPI_Ibarrier", "barrier");
        new MpiRequest(this, r, "barrier").Wait();
    }

    /// <summary>Copies <paramref name="tensor"/> (contiguous float32/float64) from rank <paramref name="root"/> to every rank, in place.</summary>
    public void Broadcast(Tensor tensor, int root = 0)
    {
        CheckRoot(root);
        if (!tensor.IsContiguous) throw new ArgumentException($"Broadcast: the tensor of shape {ShapeUtil.Format(tensor.Shape)} must be contiguous");
        string what = $"broadcast of a {tensor.DType.Name()} tensor of shape {ShapeUtil.Format(tensor.Shape)} from rank {root}";
        if (tensor.DType == DType.Float32) Broadcast(tensor.AsSpan<float>(), root, what);
        else if (tensor.DType == DType.Float64) Broadcast(tensor.AsSpan<double>(), root, what);
        else if (tensor.DType == DType.Int32) Broadcast(tensor.AsSpan<int>(), root, what);
        else throw new ArgumentException($"Broadcast: dtype {tensor.DType.Name()} is not supported (float32, float64, int32)");
    }

    /// <summary>Copies <paramref name="data"/> from rank <paramref name="root"/> to every rank, in place.</summary>
    public unsafe void Broadcast<T>(Span<T> data, int root = 0, string? what = null) where T : unmanaged
    {
        CheckRoot(root);
        what ??= $"broadcast of {data.Length} {typeof(T).Name} values from rank {root}";
        fixed (T* p = data)
        {
            nint r;
            Check(MpiNative.Ibcast((nint)p, data.Length, DataType<T>(), root, _h.CommWorld, &r), "MPI_Ibcast", what);
            new MpiRequest(this, r, what).Wait();   // inside fixed: the buffer must not move until it completes
        }
    }

    /// <summary>Sums <paramref name="data"/> over all ranks, in place (blocking, with the timeout).</summary>
    public unsafe void AllReduceSum<T>(Span<T> data, string? what = null) where T : unmanaged
    {
        what ??= $"all-reduce of {data.Length} {typeof(T).Name} values";
        fixed (T* p = data)
        {
            nint r;
            Check(MpiNative.Iallreduce(MpiNative.InPlace, (nint)p, data.Length, DataType<T>(), _h.Sum, _h.CommWorld, &r), "MPI_Iallreduce", what);
            new MpiRequest(this, r, what).Wait();
        }
    }

    /// <summary>The maximum of <paramref name="value"/> over all ranks.</summary>
    public double AllReduceMax(double value, string what)
    {
        Span<double> v = [value];
        unsafe
        {
            fixed (double* p = v)
            {
                nint r;
                Check(MpiNative.Iallreduce(MpiNative.InPlace, (nint)p, 1, _h.Double, _h.Max, _h.CommWorld, &r), "MPI_Iallreduce", what);
                new MpiRequest(this, r, what).Wait();
            }
        }
        return v[0];
    }

    /// <summary>Starts summing the first <paramref name="count"/> values of <paramref name="pinned"/> over all ranks,
    /// in place, and returns at once. The array must be pinned (<see cref="GC.AllocateArray{T}(int, bool)"/> with
    /// pinned: true) and left alone until the request completes.</summary>
    public unsafe MpiRequest StartAllReduceSum<T>(T[] pinned, int count, string what) where T : unmanaged
    {
        if ((uint)count > (uint)pinned.Length) throw new ArgumentOutOfRangeException(nameof(count), $"StartAllReduceSum: count {count} exceeds the buffer's {pinned.Length}");
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        nint r;
        Check(MpiNative.Iallreduce(MpiNative.InPlace, p, count, DataType<T>(), _h.Sum, _h.CommWorld, &r), "MPI_Iallreduce", what);
        return new MpiRequest(this, r, what);
    }

    private nint DataType<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? _h.Float
        : typeof(T) == typeof(double) ? _h.Double
        : typeof(T) == typeof(int) ? _h.Int
        : throw new ArgumentException($"MPI: element type {typeof(T).Name} is not supported (float, double, int)");

    private void CheckRoot(int root)
    {
        if ((uint)root >= (uint)Size) throw new ArgumentOutOfRangeException(nameof(root), $"root rank {root} is not in 0..{Size - 1}");
    }

    /// <summary>Turns an MPI error code into an exception naming this rank, the call and the operation.</summary>
    internal unsafe void Check(int rc, string call, string what)
    {
        if (rc == MpiNative.Success) return;
        var text = new byte[512];
        int len = 0;
        string message;
        fixed (byte* p = text)
            message = MpiNative.ErrorString(rc, p, &len) == MpiNative.Success ? Encoding.ASCII.GetString(text, 0, Math.Clamp(len, 0, text.Length)) : $"error code {rc}";
        throw new DistributedException($"rank {Rank} of {Size}: {call} ({what}) failed: {message}");
    }
}
