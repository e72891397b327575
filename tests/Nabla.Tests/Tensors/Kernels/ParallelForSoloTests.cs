using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>The oversubscription guard's solo mode: parts run inline on the caller, each exactly once, in order.</summary>
public class ParallelForSoloTests
{
    [Fact]
    public void Solo_mode_runs_every_part_once_in_order_on_the_caller()
    {
        try
        {
            ParallelFor.SoloFor(TimeSpan.FromSeconds(30));
            Assert.True(ParallelFor.IsSolo);
            int caller = Environment.CurrentManagedThreadId;
            var order = new List<int>();
            var threads = new HashSet<int>();
            ParallelFor.Run(16, i => { order.Add(i); threads.Add(Environment.CurrentManagedThreadId); });
            Assert.Equal(Enumerable.Range(0, 16), order);
            Assert.Equal([caller], threads);
        }
        finally { ParallelFor.SoloFor(TimeSpan.Zero); }
        var hits = new int[16];
        ParallelFor.Run(16, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
    }
}

/// <summary>The guard judges only runs posted while every worker was awake (a sleeping worker's wake-up is not
/// oversubscription).</summary>
public class ParallelForGuardRuleTests
{
    [Theory]
    [InlineData(1, 2, true)]
    [InlineData(0, 2, false)]
    [InlineData(3, 4, true)]
    [InlineData(2, 4, false)]
    [InlineData(0, 1, true)]
    public void A_run_is_judged_only_when_every_worker_was_awake(int spinning, int degree, bool judged) =>
        Assert.Equal(judged, ParallelFor.Scored(spinning, degree));
}
