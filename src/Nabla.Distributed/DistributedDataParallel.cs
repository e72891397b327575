using System.Diagnostics;
using Nabla.Distributed.Mpi;
using Nabla.NN;

namespace Nabla.Distributed;

/// <summary>
/// Data-parallel training over MPI, like PyTorch's <c>DistributedDataParallel</c>: every rank holds a replica of
/// <see cref="Module"/> and trains on its own shard of each batch; after backward every parameter's gradient is the
/// mean over all ranks, so one optimizer step keeps the replicas identical.
/// <list type="bullet">
/// <item>At construction, parameters and buffers are broadcast from rank 0 (after checking that every rank holds the
/// same shapes).</item>
/// <item>Gradients are grouped in buckets of about <see cref="DistributedDataParallelOptions.BucketCapMB"/> MiB, in
/// reverse registration order (the order backward produces them). A post-accumulate-grad hook on each parameter copies
/// its final gradient into its bucket; when a bucket is full its non-blocking all-reduce starts at once, while backward
/// goes on computing the earlier layers' gradients (overlap). Buckets start in index order on every rank, as MPI
/// requires of collectives. When the last bucket has started, the hook waits for all of them, and backward returns with
/// averaged gradients (sum / world size).</item>
/// <item>BatchNorm in training mode normalises with the statistics of the rank's own mini-batch, as in PyTorch DDP
/// (no SyncBatchNorm); with <see cref="DistributedDataParallelOptions.BroadcastBuffers"/> rank 0's running statistics
/// are copied to every rank after each training forward, so the replicas (and the checkpoint rank 0 writes) agree.</item>
/// </list>
/// Unlike PyTorch this attaches to the module instead of wrapping it: the module is called as before and its
/// state-dict keys carry no "module." prefix, so a checkpoint loads into a single-process model unchanged.
/// Every parameter that requires grad must take part in each loss (PyTorch's default, find_unused_parameters=False):
/// otherwise the next training forward throws a <see cref="DistributedException"/> naming the parameters that got no gradient.
/// </summary>
public sealed class DistributedDataParallel : IDisposable
{
    private readonly MpiProcessGroup _group;
    private readonly List<GradBucket> _buckets = [];
    private readonly Dictionary<Tensor, (GradBucket Bucket, int Slot, int Index)> _slots = new(ReferenceEqualityComparer.Instance);
    private readonly List<IDisposable> _handles = [];
    private readonly List<Tensor> _ordered = [];
    private readonly List<DdpEvent> _trace = [];
    private readonly HashSet<Tensor> _readyThisStep = new(ReferenceEqualityComparer.Instance);
    private int _nextToStart;
    private bool _armed;

    public DistributedDataParallel(Module module, MpiProcessGroup group, DistributedDataParallelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(group);
        Module = module;
        _group = group;
        Options = (options ?? new DistributedDataParallelOptions()).Validate();
        CheckSameModel();
        foreach (var (name, t) in module.NamedParameters()) _group.Broadcast(Contiguous(t, name), 0);
        foreach (var (name, t) in module.NamedBuffers()) _group.Broadcast(Contiguous(t, name), 0);
        BuildBuckets();
        _handles.Add(module.RegisterForwardHook((m, _, _) => OnForward(m)));
    }

    /// <summary>The replica this rank trains (call it and its optimizer as in single-process training).</summary>
    public Module Module { get; }

    public DistributedDataParallelOptions Options { get; }

    public int Rank => _group.Rank;

    public int WorldSize => _group.Size;

    /// <summary>Number of gradient buckets.</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>The parameters that require grad, in bucket order (reverse registration order).</summary>
    public IReadOnlyList<Tensor> BucketedParameters => _ordered;

    /// <summary>The events of the last backward pass, in order, when <see cref="DistributedDataParallelOptions.RecordTrace"/> is on.</summary>
    public IReadOnlyList<DdpEvent> LastStepTrace => _trace;

    /// <summary>Each bucket's size in bytes, in bucket order.</summary>
    public IReadOnlyList<long> BucketBytes => _buckets.Select(b => b.Bytes).ToArray();

    private static Tensor Contiguous(Tensor t, string name) =>
        t.IsContiguous ? t : throw new DistributedException($"DistributedDataParallel: '{name}' (shape {ShapeUtil.Format(t.Shape)}) is not contiguous and cannot be broadcast in place");

    /// <summary>Every rank must hold the same parameter and buffer shapes: compare (count, elements, a shape hash) across ranks.</summary>
    private void CheckSameModel()
    {
        var state = Module.StateDict();
        long numel = 0, hash = 17;
        foreach (var (name, t) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            numel += t.Numel;
            foreach (char c in name) hash = unchecked(hash * 31 + c);
            foreach (int d in t.Shape) hash = unchecked(hash * 131 + d);
            hash = unchecked(hash * 7 + (int)t.DType);
        }
        double[] mine = [state.Count, numel, hash % 1_000_000_007];
        foreach (var (value, what) in new[] { (mine[0], "tensor count"), (mine[1], "element count"), (mine[2], "shape signature") })
        {
            double max = _group.AllReduceMax(value, $"check of the model's {what}");
            double min = -_group.AllReduceMax(-value, $"check of the model's {what}");
            if (max != min)
                throw new DistributedException($"DistributedDataParallel: the ranks hold different models (their {what}s range from {min} to {max}; rank {Rank} has {value}); build the same model on every rank");
        }
    }

    private void BuildBuckets()
    {
        long cap = (long)(Options.BucketCapMB * 1024 * 1024);
        var current = new List<Tensor>();
        long bytes = 0;
        DType? dtype = null;
        void Flush()
        {
            if (current.Count == 0) return;
            var b = new GradBucket(_buckets.Count, current.ToArray(), dtype!.Value);
            for (int i = 0; i < current.Count; i++) _slots[current[i]] = (b, i, _ordered.Count - current.Count + i);
            _buckets.Add(b);
            current.Clear();
            bytes = 0;
        }
        foreach (var p in Module.Parameters().Where(p => p.RequiresGrad).Reverse())
        {
            if (p.DType != DType.Float32 && p.DType != DType.Float64)
                throw new DistributedException($"DistributedDataParallel: parameter of dtype {p.DType.Name()} is not supported (float32, float64)");
            if (_slots.ContainsKey(p) || current.Contains(p)) continue;   // a tensor shared by two layers reduces once
            long size = (long)p.Numel * (p.DType == DType.Float32 ? 4 : 8);
            if (current.Count > 0 && (bytes + size > cap || p.DType != dtype)) Flush();
            dtype = p.DType;
            current.Add(p);
            _ordered.Add(p);
            bytes += size;
        }
        Flush();
        foreach (var p in _ordered) _handles.Add(p.RegisterPostAccumulateGradHook(OnGradReady));
    }

    /// <summary>A training forward (grad recording on) arms the reduction of the coming backward pass.</summary>
    private void OnForward(Module m)
    {
        if (!m.Training || !GradMode.IsEnabled) return;
        if (_armed && _readyThisStep.Count > 0)
        {
            var missing = Module.NamedParameters().Where(p => p.Tensor.RequiresGrad && !_readyThisStep.Contains(p.Tensor)).Select(p => p.Name);
            throw new DistributedException($"DistributedDataParallel (rank {Rank}): the previous backward pass produced no gradient for {string.Join(", ", missing)}; " +
                "every parameter that requires grad must take part in the loss (unused parameters are not supported), or set RequiresGrad = false on it before attaching");
        }
        if (Options.BroadcastBuffers)
            foreach (var (name, t) in Module.NamedBuffers()) _group.Broadcast(Contiguous(t, name), 0);
        _armed = true;
        _readyThisStep.Clear();
        _nextToStart = 0;
        foreach (var b in _buckets) { b.Pending = b.Parameters.Count; b.Request = null; }
        _trace.Clear();
    }

    private void Record(DdpEventKind kind, int index)
    {
        if (Options.RecordTrace) _trace.Add(new DdpEvent(kind, index, Stopwatch.GetTimestamp()));
    }

    /// <summary>Post-accumulate-grad hook: the parameter's gradient is final for this backward pass.</summary>
    private void OnGradReady(Tensor p)
    {
        if (!_armed)
            throw new DistributedException($"DistributedDataParallel (rank {Rank}): a gradient was produced by a backward pass that no training forward of the attached module started; call the module (in training mode, with grad enabled) before backward");
        var (bucket, slot, index) = _slots[p];
        if (!_readyThisStep.Add(p))
            throw new DistributedException($"DistributedDataParallel (rank {Rank}): parameter {index} received a second gradient in one step; call backward once per forward (gradient accumulation over several backward passes is not supported)");
        var g = p.Grad!;
        if (!g.IsContiguous) { var c = Tensor.Zeros(g.Shape.ToArray(), g.DType); c.CopyFrom_(g); p.Grad = g = c; }
        bucket.CopyIn(slot, g);
        Record(DdpEventKind.GradReady, index);
        bucket.Pending--;
        while (_nextToStart < _buckets.Count && _buckets[_nextToStart].Pending == 0)
        {
            var b = _buckets[_nextToStart++];
            b.Request = b.Start(_group);
            Record(DdpEventKind.BucketStarted, b.Index);
        }
        PollStarted();
        if (_nextToStart == _buckets.Count) Finish();
    }

    /// <summary>Lets MPI progress the buckets in flight (non-blocking collectives advance when MPI is called).</summary>
    private void PollStarted()
    {
        for (int i = 0; i < _nextToStart; i++)
        {
            var r = _buckets[i].Request!;
            if (!r.IsCompleted && r.Test()) Record(DdpEventKind.BucketCompleted, i);
        }
    }

    /// <summary>Waits for every bucket and writes the averaged gradients back.</summary>
    private void Finish()
    {
        double scale = 1.0 / _group.Size;
        foreach (var b in _buckets)
        {
            var r = b.Request!;
            if (!r.IsCompleted) { r.Wait(); Record(DdpEventKind.BucketCompleted, b.Index); }
            b.CopyOut(scale);
        }
        _armed = false;
        _readyThisStep.Clear();
        Record(DdpEventKind.Synchronized, -1);
    }

    /// <summary>Removes the hooks (the module trains single-process again).</summary>
    public void Dispose()
    {
        foreach (var h in _handles) h.Dispose();
        _handles.Clear();
    }
}
