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
