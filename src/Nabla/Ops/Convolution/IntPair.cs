namespace Nabla;

/// <summary>
/// A (height, width) pair of sizes for 2-d convolution and pooling arguments (PyTorch's <c>_pair</c>): an int
/// means the same value for both dims, a tuple <c>(h, w)</c> gives each dim its own. Both convert implicitly, so
/// <c>x.Conv2d(w, b, stride: 2, padding: (1, 0))</c> reads as in PyTorch.
/// </summary>
public readonly record struct IntPair(int H, int W)
{
    public static implicit operator IntPair(int value) => new(value, value);

    public static implicit operator IntPair((int H, int W) pair) => new(pair.H, pair.W);

    public override string ToString() => H == W ? $"{H}" : $"({H}, {W})";
}
