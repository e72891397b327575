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

    public int Top { get; }
    public int Bottom { get; }
    public int Left { get; }
    public int Right { get; }

    public bool IsSame => Mode == "same";

    public static ConvPadding Valid { get; } = new("valid", 0, 0, 0, 0);

    public static ConvPadding Same { get; } = new("same", 0, 0, 0, 0);

    /// <summary>Explicit padding per side (negative sizes are rejected by the op).</summary>
    public static ConvPadding Sides(int top, int bottom, int left, int right) => new(null, top, bottom, left, right);

    public static implicit operator ConvPadding(int p) => Sides(p, p, p, p);

    public static implicit operator ConvPadding((int H, int W) p) => Sides(p.H, p.H, p.W, p.W);

    public static implicit operator ConvPadding(IntPair p) => Sides(p.H, p.H, p.W, p.W);

    /// <summary>"same" or "valid" (case-insensitive); anything else throws an ArgumentException.</summary>
    public static implicit operator ConvPadding(string mode) => mode?.ToLowerInvariant() switch
    {
        "same" => Same,
        "valid" => Valid,
        _ => throw new ArgumentException($"Conv: padding mode '{mode}' is not one of \"same\", \"valid\""),
    };

    /// <summary>Padding sizes per side for kernel extents (dilation·(k − 1) + 1) along H and W.</summary>
    internal (int Top, int Bottom, int Left, int Right) Resolve(int dilationH, int kernelH, int dilationW, int kernelW)
    {
        if (!IsSame) return (Top, Bottom, Left, Right);
        int th = dilationH * (kernelH - 1), tw = dilationW * (kernelW - 1);
        return (th / 2, th - th / 2, tw / 2, tw - tw / 2);
    }

    public override string ToString() =>
        Mode is { } m ? $"'{m}'" : Top == Bottom && Left == Right ? new IntPair(Top, Left).ToString() : $"({Top}, {Bottom}, {Left}, {Right})";
}
