using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Nabla.Data;

/// <summary>
/// One epoch of a <see cref="DataLoader"/>. Without prefetch it builds each batch in <see cref="MoveNext"/>; with
/// prefetch a single producer task fills batches into a bounded channel, and the consumer takes them in order.
/// Buffer life cycle with reuse: free list → producer fills → queue → consumer holds (Current) → back to the free
/// list on the next MoveNext; at most Prefetch + 2 full-size buffers exist.
/// </summary>
internal sealed class DataLoaderEnumerator : IEnumerator<Batch>
{
    private sealed class Buffer(float[] x, int[] y, Batch batch)
    {
        public readonly float[] X = x;
        public readonly int[] Y = y;
        public readonly Batch Batch = batch;
    }

    private readonly DataLoader _loader;
    private readonly int _epoch;
    private readonly int[] _order;
    private readonly int _batchCount;
    private readonly Generator _random = new();
    private readonly Channel<Buffer> _free = Channel.CreateUnbounded<Buffer>();
    private Channel<Buffer>? _queue;
    private CancellationTokenSource? _cts;
    private Task? _producer;
    private ExceptionDispatchInfo? _error;   // set by the producer before it completes the queue
    private Buffer? _held;                   // the batch exposed as Current
    private int _next;                       // next batch index (synchronous mode)
    private bool _disposed;

    public DataLoaderEnumerator(DataLoader loader, int epoch)
    {
        _loader = loader;
        _epoch = epoch;
        _order = loader.EpochOrder(epoch);
        _batchCount = loader.BatchCount;
    }

    public Batch Current => _held?.Batch ?? throw new InvalidOperationException("DataLoader: Current is undefined before MoveNext or after the end");

    object System.Collections.IEnumerator.Current => Current;

    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Recycle();
        if (_loader.Prefetch == 0)
        {
            if (_next >= _batchCount) return false;
            _held = Build(_next++, CancellationToken.None).GetAwaiter().GetResult();
            return true;
        }
        if (_queue is null) Start();
        var reader = _queue!.Reader;
        while (true)
        {
            if (reader.TryRead(out var buffer)) { _held = buffer; return true; }
            if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                _error?.Throw();
                return false;
            }
        }
    }

    private void Start()
    {
        _queue = Channel.CreateBounded<Buffer>(new BoundedChannelOptions(_loader.Prefetch) { SingleReader = true, SingleWriter = true });
        _cts = new CancellationTokenSource();
        var ct = _cts.Token;
        _producer = Task.Run(() => ProduceAsync(ct));
    }

    private async Task ProduceAsync(CancellationToken ct)
    {
        var writer = _queue!.Writer;
        try
        {
            for (int b = 0; b < _batchCount; b++)
            {
                ct.ThrowIfCancellationRequested();
                var buffer = await Build(b, ct).ConfigureAwait(false);
                await writer.WriteAsync(buffer, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception ex) { _error = ExceptionDispatchInfo.Capture(ex); }
        finally { writer.TryComplete(); }
    }

    /// <summary>Fills batch <paramref name="b"/> into a recycled buffer when one is free, a new one otherwise.</summary>
    private async ValueTask<Buffer> Build(int b, CancellationToken ct)
    {
        int start = b * _loader.BatchSize;
        int size = Math.Min(_loader.BatchSize, _order.Length - start);
        Buffer? buffer = null;
        if (_loader.ReuseBuffers && size == _loader.BatchSize)
        {
            // Synchronous mode recycles the held buffer directly; the producer waits only when all
            // Prefetch + 2 buffers are in flight (queue full + one held by the consumer + this one).
            if (!_free.Reader.TryRead(out buffer) && _allocated >= _loader.Prefetch + 2)
                buffer = await _free.Reader.ReadAsync(ct).ConfigureAwait(false);
        }
        buffer ??= Allocate(size);
        _loader.Fill(_order, _epoch, start, size, buffer.X, buffer.Y, _random);
        return buffer;
    }

    private int _allocated;

    private Buffer Allocate(int size)
    {
        if (size == _loader.BatchSize) _allocated++;
        var x = new float[size * _loader.FeatureSize];
        var y = new int[size];
        int[] shape = [size, .. _loader.FeatureShape];
        return new Buffer(x, y, new Batch(Tensor.Wrap(x, shape), Tensor.Wrap(y, size)));
    }

    /// <summary>Hands the batch the consumer is done with back to the producer (reuse mode, full-size only).</summary>
    private void Recycle()
    {
        if (_held is { } h && _loader.ReuseBuffers && h.Y.Length == _loader.BatchSize) _free.Writer.TryWrite(h);
        _held = null;
    }

    public void Reset() => throw new NotSupportedException("DataLoader: enumerate the loader again for a new epoch");

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _held = null;
        if (_producer is null) return;
        _cts!.Cancel();
        try { _producer.Wait(); } catch (AggregateException) { }   // the producer swallows its own cancellation
        while (_queue!.Reader.TryRead(out _)) { }
        _cts.Dispose();
    }
}
