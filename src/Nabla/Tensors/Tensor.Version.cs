using System.Runtime.CompilerServices;

namespace Nabla;

public sealed partial class Tensor
{
    // One counter per storage array, so a tensor, its views and its Detach() share it (PyTorch's version counter lives
    // in the storage's TensorImpl family the same way). An array gets an entry on its first in-place write only: the
    // tensors nobody writes into (almost all) cost one failed lookup when a node saves them.
    private static readonly ConditionalWeakTable<Array, StrongBox<int>> Versions = new();

    /// <summary>
    /// How many in-place writes the storage of this tensor (shared with its views and its <see cref="Detach"/>) has
    /// had, as PyTorch's <c>_version</c>: <see cref="Fill_"/>, <see cref="CopyFrom_"/>, <see cref="SetAt"/>, an
    /// index assignment <c>x[…] = v</c>, the <c>Init</c> functions, <c>Module.LoadStateDict</c> and every optimizer
    /// step count. A node of the graph remembers the versions of the tensors its backward reads, and
    /// <see cref="Backward"/> refuses (<see cref="AutogradException"/>) to run it on a tensor written since: the
    /// gradient would silently be that of other values. Writes through <see cref="AsSpan{T}"/> are not counted (as in
    /// PyTorch, writes through <c>.data</c> or a NumPy view are not).
    /// </summary>
    public int Version => Versions.TryGetValue(_array, out var box) ? box.Value : 0;

    /// <summary>Records an in-place write into this tensor's storage (see <see cref="Version"/>).</summary>
    internal void BumpVersion() => Interlocked.Increment(ref Versions.GetValue(_array, static _ => new StrongBox<int>()).Value);

    /// <summary>A rented array starts a new life: its tensors start at version 0, as a fresh allocation does.</summary>
    internal static void ResetVersion(Array storage) => Versions.Remove(storage);

    /// <summary>Whether a read of this tensor would throw <see cref="FreedTensorException"/> (its storage went back to the pool).</summary>
    internal bool IsFreed => _lease is { IsClosed: true };
}
