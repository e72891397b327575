namespace Nabla.Distributed;

/// <summary>
/// How <see cref="DistributedDataParallel"/> reduces gradients. <see cref="BucketCapMB"/> is PyTorch's
/// <c>bucket_cap_mb</c> (MiB of gradient per all-reduce; smaller buckets start earlier, larger ones pay the latency
/// fewer times). <see cref="BroadcastBuffers"/> is PyTorch's <c>broadcast_buffers</c>: rank 0's buffers (BatchNorm
/// running statistics) are copied to every rank after each training forward, so all replicas hold rank 0's.
/// <see cref="RecordTrace"/> keeps the order and time of each step's gradient and bucket events
/// (<see cref="DistributedDataParallel.LastStepTrace"/>).
/// </summary>
public sealed record DistributedDataParallelOptions(double BucketCapMB = 25, bool BroadcastBuffers = true, bool RecordTrace = false)
{
    public DistributedDataParallelOptions Validate()
    {
        if (!(BucketCapMB > 0) || double.IsInfinity(BucketCapMB))
            throw new ArgumentOutOfRangeException(nameof(BucketCapMB), $"DistributedDataParallelOptions: BucketCapMB must be positive and finite, got {BucketCapMB}");
        return this;
    }
}

/// <summary>What happened during one backward pass, in order.</summary>
public enum DdpEventKind
{
    /// <summary>A parameter's gradient became final (Index: parameter position in <see cref="DistributedDataParallel.BucketedParameters"/>).</summary>
    GradReady,
    /// <summary>A bucket's non-blocking all-reduce was started (Index: bucket).</summary>
    BucketStarted,
    /// <summary>A bucket's all-reduce was seen complete (Index: bucket).</summary>
    BucketCompleted,
    /// <summary>All buckets are reduced and the averaged gradients are back in the parameters.</summary>
    Synchronized,
}

/// <summary>One event of <see cref="DistributedDataParallel.LastStepTrace"/>: kind, index and Stopwatch timestamp.</summary>
public readonly record struct DdpEvent(DdpEventKind Kind, int Index, long Timestamp);
