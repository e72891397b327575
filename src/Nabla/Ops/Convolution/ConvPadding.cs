namespace Nabla;

/// <summary>
/// Zero padding of a convolution: explicit sizes (an int for all sides, <c>(h, w)</c> for top = bottom = h and
/// left = right = w, or four sides), or a mode string as in PyTorch: <c>"valid"</c> (no padding) or <c>"same"</c>
/// (output size = input size at stride 1; total padding dilation·(k − 1) per dim, the odd extra element on the
/// bottom/right like PyTorch).
/// </summary>
public readonly record struct ConvPadding
{
    private ConvPadding(string? mode, int top, int bottom, int left, int right)
    {
        Mode = mode;
        Top = top; Bottom = bottom; Left = left; Right = right;
    }

    /// <summary>"same", "valid", or null for explicit sizes.</summary>
    public string? Mode { get; }

    /// <summary>Rows of zeros above the input (0 in a mode).</summary>
    public int Top { get; }
    /// <summary>Rows of zeros below the input (0 in a mode).</summary>
    public int Bottom { get; }
    /// <summary>Columns of zeros left of the input (0 in a mode).</summary>
    public int Left { get; }
    /// <summary>Columns of zeros right of the input (0 in a mode).</summary>
    public int Right { get; }

    /// <summary>True for the "same" mode (sizes chosen from the kernel when the op runs).</summary>
    public bool IsSame => Mode == "same";

    /// <summary>No padding (PyTorch's <c>padding="valid"</c>).</summary>
    public static ConvPadding Valid { get; } = new("valid", 0, 0, 0, 0);

    /// <summary>Output size = input size at stride 1 (PyTorch's <c>padding="same"</c>).</summary>
    public static ConvPadding Same { get; } = new("same", 0, 0, 0, 0);

    /// <summary>Explicit padding per side (negative sizes are rejected by the op).</summary>
    public static ConvPadding Sides(int top, int bottom, int left, int right) => new(null, top, bottom, left, right);

    /// <summary>The same padding <paramref name="p"/> on all four sides.</summary>
    public static implicit operator ConvPadding(int p) => Sides(p, p, p, p);

    /// <summary><c>(h, w)</c>: h rows above and below, w columns left and right.</summary>
    public static implicit operator ConvPadding((int H, int W) p) => Sides(p.H, p.H, p.W, p.W);

    /// <summary>p.H rows above and below, p.W columns left and right.</summary>
    public static implicit operator ConvPadding(IntPair p) => Sides(p.H, p.H, p.W, p.W);

    /// <summary>"same" or "valid" (case-insensitive); anything else throws an ArgumentException.</summary>
    public static implicit operator ConvPadding(string mode) => mode?.ToLowerInvariant() switch
    {
        "same" => Same,
        "valid" => Valid,
        _ => throw new ArgumentException($"Conv: unknown padding mode '{mode}'; valid values: same, valid (or sizes as int, (h, w) or ConvPadding.Sides)", "padding"),
    };

    /// <summary>Padding sizes per side for kernel extents (dilation·(k − 1) + 1) along H and W.</summary>
    internal (int Top, int Bottom, int Left, int Right) Resolve(int dilationH, int kernelH, int dilationW, int kernelW)
    {
        if (!IsSame) return (Top, Bottom, Left, Right);
        int th = dilationH * (kernelH - 1), tw = dilationW * (kernelW - 1);
        return (th / 2, th - th / 2, tw / 2, tw - tw / 2);
    }

    /// <summary>'same'/'valid', one size, <c>(h, w)</c>, or the four sides (top, bottom, left, right).</summary>
    public override string ToString() =>
        Mode is { } m ? $"'{m}'" : Top == Bottom && Left == Right ? new IntPair(Top, Left).ToString() : $"({Top}, {Bottom}, {Left}, {Right})";
}
