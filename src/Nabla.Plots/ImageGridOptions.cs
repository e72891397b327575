namespace Nabla.Plots;

/// <summary>How pixel values map to intensities in an <see cref="ImageGrid"/>.</summary>
public enum ImageScaling
{
    /// <summary><see cref="Clamp"/> when every value lies in [0, 1], otherwise <see cref="PerImage"/>.</summary>
    Auto,
    /// <summary>Values are intensities in [0, 1]; anything outside is clipped.</summary>
    Clamp,
    /// <summary>Each image is stretched so that its minimum is black and its maximum white (feature maps).</summary>
    PerImage,
    /// <summary>One stretch for the whole grid, so images stay comparable (kernels of one layer).</summary>
    Shared,
}

/// <summary>Layout and scaling of an <see cref="ImageGrid"/>.</summary>
public sealed record ImageGridOptions
{
    /// <summary>Images per row; 0 picks ⌈√n⌉.</summary>
    public int Columns { get; init; }

    /// <summary>Target size in pixels of an image's longer side; images are enlarged by a whole factor
    /// (nearest neighbour, so pixels stay square) to reach at least this size.</summary>
    public int CellSize { get; init; } = 64;

    /// <summary>One caption per image (fewer is fine), drawn under it.</summary>
    public IReadOnlyList<string>? Captions { get; init; }

    /// <summary>Heading drawn above the grid; null = none.</summary>
    public string? Title { get; init; }

    /// <summary>How pixel values map to grey levels or colours (default <see cref="ImageScaling.Auto"/>).</summary>
    public ImageScaling Scaling { get; init; } = ImageScaling.Auto;

    /// <summary>Gap between cells, in pixels.</summary>
    public int Padding { get; init; } = 4;
}
