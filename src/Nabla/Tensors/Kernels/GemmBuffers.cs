using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Per-thread packing scratch for <see cref="GemmDriver"/>: one pinned array per thread and element type, grown on
/// demand and reused by every later call on that thread, so steady-state GEMMs allocate nothing large.
/// </summary>
internal static unsafe class GemmBuffers<T> where T : unmanaged
{
    private const int Align = 64;   // one cache line: keeps every packed B row in a single line

    [ThreadStatic] private static T[]? _buffer;

    /// <summary>A 64-byte aligned scratch of at least <paramref name="elements"/> elements, valid until this
    /// thread's next call (pinned, so the pointer stays valid).</summary>
    public static T* Get(int elements) => Grow(ref _buffer, elements);

    private static T* Grow(ref T[]? slot, int elements)
    {
        int need = elements + Align / sizeof(T);
        var buf = slot;
        if (buf is null || buf.Length < need)
        {
            slot = null;   // let the old one go before allocating the new one
            buf = slot = GC.AllocateUninitializedArray<T>(Math.Max(need, buf?.Length * 3 / 2 ?? 0), pinned: true);
        }
        nint p = (nint)Unsafe.AsPointer(ref buf[0]);
        return (T*)((p + Align - 1) & ~(nint)(Align - 1));
    }

    /// <summary>Rounds an element count up so the next region starts 64-byte aligned.</summary>
    public static int RoundUp(int elements) => (elements + Align / sizeof(T) - 1) & ~(Align / sizeof(T) - 1);
}
