
namespace Nabla.Data;

/// <summary>
/// A per-example transform (augmentation) that rewrites one example's features in place. The loader runs it in its
/// background worker with a generator reseeded per example from (loader seed, epoch, position in the epoch), so
/// results are reproducible and independent of prefetching or of how the work is scheduled.
/// </summary>
/// <param name="features">the example's features, row-major in <paramref name="shape"/></param>
/// <param name="shape">the dataset's <see cref="IDataset.FeatureShape"/></param>
/// <param name="random">the generator to draw from (do not keep it)</param>
public delegate void SampleTransform(Span<float> features, ReadOnlySpan<int> shape, Generator random);
