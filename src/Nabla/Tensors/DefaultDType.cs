namespace Nabla;

/// <summary>
/// The floating dtype that creation functions (<see cref="Tensor.Zeros(int[], DType?, bool)"/>, <c>Randn</c>, <c>Arange</c>,
/// ...) and module constructors (Linear, Conv2d, LSTM, ...) use when no dtype is passed: float32 unless changed, like
/// <c>torch.get_default_dtype()</c> / <c>torch.set_default_dtype</c>. Use the scoped form,
/// <c>using (DefaultDType.Scope(DType.Float64)) { ... }</c>, which restores the previous default on dispose.
/// </summary>
/// <remarks>
/// Unlike PyTorch's process-wide setting, the default is <b>async-local</b> (an <see cref="AsyncLocal{T}"/>): it belongs
/// to the current logical flow of execution, so it follows an <c>await</c> onto another thread and is inherited by tasks
/// and threads started after it was set (Task.Run, data-loader workers), while other threads and concurrently running
/// tests keep their own. A change made inside an <c>async</c> method (or a task) does not flow back to its caller;
/// set it in the code that creates the tensors, or before starting the work that does.
/// </remarks>
public static class DefaultDType
{
    private static readonly AsyncLocal<DType?> _current = new();

    /// <summary>The default floating dtype of the current flow (float32 unless set).</summary>
    public static DType Current => _current.Value ?? DType.Float32;

    /// <summary>Sets the default for the current flow (and flows it starts from now on); only float32 and float64.</summary>
    public static void Set(DType dtype) => _current.Value = Check(dtype);

    /// <summary>Sets the default until the returned scope is disposed, then restores the one in force before
    /// (also when an exception leaves the <c>using</c> block). Scopes nest.</summary>
    public static RestoreScope Scope(DType dtype)
    {
        var previous = _current.Value;
        _current.Value = Check(dtype);
        return new RestoreScope(previous);
    }

    /// <summary><paramref name="dtype"/> if given, else <see cref="Current"/>: how a creation function resolves its
    /// optional dtype argument.</summary>
    public static DType Resolve(DType? dtype) => dtype ?? Current;

    private static DType Check(DType dtype) =>
        dtype.IsFloatingPoint() ? dtype : throw new ArgumentException($"DefaultDType: only floating dtypes (float32, float64) can be the default, got {dtype.Name()}");

    /// <summary>Restores the default that was in force when <see cref="Scope"/> was called.</summary>
    public readonly struct RestoreScope : IDisposable
    {
        private readonly DType? _previous;

        internal RestoreScope(DType? previous) => _previous = previous;

        /// <summary>Puts the previous default back.</summary>
        public void Dispose() => _current.Value = _previous;
    }
}
