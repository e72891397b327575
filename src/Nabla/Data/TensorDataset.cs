
namespace Nabla.Data;

/// <summary>
/// Examples held in two tensors: features X [N, ...] and int32 labels Y [N] (like <c>torch.utils.data.TensorDataset</c>).
/// X is kept as a contiguous float32 copy when it is not one already (float64/int32 are converted once here).
/// </summary>
public sealed class TensorDataset : IDataset
{
    private readonly float[] _x;
    private readonly int _xOffset;
    private readonly int[] _y;
    private readonly int[] _featureShape;
    private readonly int _featureSize;

    public TensorDataset(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank < 1) throw ShapeMismatchException.For(nameof(TensorDataset), "X needs a leading example dimension", x.Shape.ToArray());
        if (y.Rank != 1 || y.Size(0) != x.Size(0))
            throw ShapeMismatchException.For(nameof(TensorDataset), "Y must be [N] with N = X.Size(0)", x.Shape.ToArray(), y.Shape.ToArray());
        if (y.DType != DType.Int32)
            throw DTypeMismatchException.Unsupported($"{nameof(TensorDataset)} labels (expected int32)", y.DType);
        var xf = x.DType == DType.Float32 ? x.Detach().ContiguousRaw() : x.ToDTypeRaw(DType.Float32);
        _x = xf.Storage<float>();
        _xOffset = xf.Offset;
        _y = y.ToArray<int>();
        _featureShape = x.Shape[1..].ToArray();
        _featureSize = ShapeUtil.Numel(_featureShape);
        Count = x.Size(0);
    }

    public int Count { get; }

    public ReadOnlySpan<int> FeatureShape => _featureShape;

    public int Get(int index, Span<float> features)
    {
        DatasetExtensions.CheckIndex(index, Count, nameof(TensorDataset));
        _x.AsSpan(_xOffset + index * _featureSize, _featureSize).CopyTo(features);
        return _y[index];
    }
}
