using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// Recycles the storage of large op outputs and gradients between training steps, the way PyTorch's caching
/// allocator (or glibc's never-trimmed heap in the peer's tuned setting) keeps freed blocks for the next step.
/// </summary>
/// <remarks>
/// Without it every step allocates its activations and gradients afresh from the GC heap (33.5 MB each in VGG11's first
/// block at batch 128); the GC decommits the freed regions and the next step faults them in again: ~60k page faults per
/// VGG11 step. Ops rent their output buffers here (<see cref="Rent{T}"/>, contents undefined); only the autograd engine
/// (its <c>StorageRecycler</c>, and nodes for buffers only their backward reads) gives storage back (<see
/// cref="Return"/>), and only storage it can prove dead: gradients created during the same backward pass once consumed,
/// and — with <c>Backward(freeIntermediates: true)</c>, which <c>Trainer</c> passes by default — the activations of the
/// graph it frees. An array that is never returned is simply collected by the GC like any other. Every rent opens a
/// <see cref="Lease"/> that the tensors over the array share; a return closes it, so a tensor still holding a returned
/// array throws <see cref="FreedTensorException"/> on its next read instead of showing whatever the array's
/// next renter wrote. Arrays below <see cref="MinPooledBytes"/> are not pooled (gen0 handles them well). The free lists
/// hold at most <see cref="MaxFreeBytes"/>: a return that would pass the cap first drops all free arrays (to the GC),
/// so stale sizes cannot pile up.
/// </remarks>
internal static class StoragePool
{
    /// <summary>Smallest array (bytes) worth pooling.</summary>
    public const int MinPooledBytes = 256 * 1024;

    /// <summary>Cap on the bytes kept in the free lists: a quarter of the memory the GC may use, between 2 and 16 GiB
    /// (settable for tests). A fixed 2 GiB was below one step's activations and gradients of cifar10-fast at batch
    /// 2000 (~4 GB): the lists were dropped every step and every large buffer came from the GC again (78 collections,
    /// 9 of them gen 2, and ~150 ms of pauses per step of 1000 images).</summary>
    public static long MaxFreeBytes { get; set; } = Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4, 2L << 30, 16L << 30);

    private static readonly Lock Gate = new();
    private static readonly Dictionary<(Type Element, int Length), Stack<Array>> Free = [];
    // Arrays handed out and not yet returned, with their open lease (weak keys: an array the caller keeps forever is
    // collected normally).
    private static readonly ConditionalWeakTable<Array, Lease> Rented = new();
    private static long _freeBytes;

    [ThreadStatic] private static HashSet<Array>? _capture;

    /// <summary>Bytes currently held in the free lists (for tests and benchmarks).</summary>
    public static long FreeBytes { get { lock (Gate) return _freeBytes; } }

    /// <summary>An array of exactly <paramref name="length"/> elements with undefined contents.</summary>
    public static T[] Rent<T>(int length) where T : unmanaged
    {
        long bytes = (long)length * Unsafe.SizeOf<T>();
        if (bytes < MinPooledBytes) return GC.AllocateUninitializedArray<T>(length);
        T[]? a = null;
        lock (Gate)
        {
            if (Free.TryGetValue((typeof(T), length), out var stack) && stack.Count > 0)
            {
                a = (T[])stack.Pop();
                _freeBytes -= bytes;
            }
        }
        if (a is not null) Tensor.ResetVersion(a);   // its old tensors are closed out by their lease, not their version
        a ??= GC.AllocateUninitializedArray<T>(length);
        Rented.AddOrUpdate(a, new Lease());
        _capture?.Add(a);
        return a;
    }

    /// <summary>Untyped <see cref="Rent{T}"/> for a storage dtype.</summary>
    public static Array Rent(DType dtype, int length) => dtype switch
    {
        DType.Float32 => Rent<float>(length),
        DType.Float64 => Rent<double>(length),
        _ => Rent<int>(length),
    };

    /// <summary>Whether <paramref name="storage"/> came from <see cref="Rent{T}"/> and was not returned since.</summary>
    public static bool IsRented(Array storage) => Rented.TryGetValue(storage, out _);

    /// <summary>The open lease of a rented array (null for an array that is not pooled or not rented now).</summary>
    public static Lease? LeaseOf(Array storage) =>
        (long)storage.Length * ElementSize(storage) >= MinPooledBytes && Rented.TryGetValue(storage, out var lease) ? lease : null;

    /// <summary>
    /// Gives a rented array back and closes its lease, so every tensor over it throws on its next read;
    /// <paramref name="what"/> says what the array held, for that error ("an intermediate produced by Relu ...").
    /// Returns false (and does nothing) for an array that is not currently rented, so a second return is harmless.
    /// </summary>
    public static bool Return(Array storage, string what = "a buffer an op returned to the pool")
    {
        if (!Rented.TryGetValue(storage, out var lease) || !Rented.Remove(storage)) return false;
        lease.Close(what);
        long bytes = (long)storage.Length * ElementSize(storage);
        lock (Gate)
        {
            if (bytes > MaxFreeBytes) return true;                 // left to the GC
            // Over the cap the sizes in use have changed (another model, sequence lengths): drop the old free lists.
            if (_freeBytes + bytes > MaxFreeBytes) { Free.Clear(); _freeBytes = 0; }
            var key = (storage.GetType().GetElementType()!, storage.Length);
            if (!Free.TryGetValue(key, out var stack)) Free[key] = stack = new Stack<Array>();
            stack.Push(storage);
            _freeBytes += bytes;
        }
        return true;
    }

    /// <summary>Fills every free float array with NaN (tests: an op that reads a buffer before writing it shows).</summary>
    public static void PoisonFree()
    {
        lock (Gate)
            foreach (var stack in Free.Values)
                foreach (var a in stack)
                    switch (a)
                    {
                        case float[] f: f.AsSpan().Fill(float.NaN); break;
                        case double[] d: d.AsSpan().Fill(double.NaN); break;
                        case int[] i: i.AsSpan().Fill(int.MinValue); break;
                    }
    }

    /// <summary>Drops every free array (the GC reclaims them).</summary>
    public static void Clear()
    {
        lock (Gate) { Free.Clear(); _freeBytes = 0; }
    }

    /// <summary>
    /// Records the arrays rented on this thread until disposed (the engine uses it to know which gradients it
    /// created itself). Nested captures are not supported: the inner one replaces the outer until disposed.
    /// </summary>
    public static Capture BeginCapture() => new();

    internal sealed class Capture : IDisposable
    {
        private readonly HashSet<Array>? _outer = _capture;

        public Capture() => _capture = Arrays;

        public HashSet<Array> Arrays { get; } = new(ReferenceEqualityComparer.Instance);

        public void Dispose() => _capture = _outer;
    }

    /// <summary>One rent of one array: open until the array is returned. Tensors over the array hold it and check it
    /// on every read of their data.</summary>
    internal sealed class Lease
    {
        private volatile string? _closedFor;

        /// <summary>Whether the array went back to the pool (its data now belongs to the next renter).</summary>
        public bool IsClosed => _closedFor is not null;

        /// <summary>What the array held when it was returned (set once, by <see cref="Return"/>).</summary>
        public string? ClosedFor => _closedFor;

        public void Close(string what) => _closedFor = what;
    }

    private static int ElementSize(Array a) => a switch
    {
        double[] => sizeof(double),
        _ => sizeof(float),
    };
}
