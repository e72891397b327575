using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class ParallelForTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void Runs_every_part_exactly_once(int count)
    {
        var hits = new int[count];
        for (int round = 0; round < 20; round++)
            ParallelFor.Run(count, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(20, h));
    }

    [Fact]
    public void Rethrows_the_exception_of_a_failing_part_and_stays_usable()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            ParallelFor.Run(4, i => { if (i == 3) throw new InvalidOperationException("part 3"); }));
        Assert.Equal("part 3", e.Message);
        int sum = 0;
        ParallelFor.Run(4, i => Interlocked.Add(ref sum, i));
        Assert.Equal(6, sum);
    }

    [Fact]
    public async Task Nested_and_concurrent_calls_complete()
    {
        var total = new long[8];
        var callers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (int r = 0; r < 50; r++)
                ParallelFor.Run(3, i => ParallelFor.Run(4, j => Interlocked.Add(ref total[t], i * 4 + j)));
        })).ToArray();
        await Task.WhenAll(callers);
        Assert.All(total, s => Assert.Equal(50 * 66, s));   // Σ_{0..11} = 66 per round
    }
}
