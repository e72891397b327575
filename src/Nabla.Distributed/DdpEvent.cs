namespace Nabla.Distributed;

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
