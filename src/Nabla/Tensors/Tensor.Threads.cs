using Nabla.Tensors.Kernels;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>The number of threads the kernels use (<c>torch.get_num_threads</c>): the cores of this machine unless
    /// <see cref="SetNumThreads"/> chose fewer.</summary>
    public static int GetNumThreads() => ParallelFor.MaxDegree;

    /// <summary>Sets the number of threads the kernels use (<c>torch.set_num_threads</c>), between 1 and the number of
    /// cores. Call it before the first parallel kernel runs (at the start of the program): the worker threads are
    /// created then, and changing the count afterwards is an <see cref="InvalidOperationException"/>.</summary>
    public static void SetNumThreads(int threads) => ParallelFor.SetMaxDegree(threads);
}
