
namespace Nabla.Data;

/// <summary>How <see cref="ImageFolder"/> turns a folder of class sub-folders into images.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Resize every image to H × W (antialiased bilinear, aspect ratio not kept, like torchvision's
    /// <c>Resize((h, w))</c>); null = keep the size, which all images must then share.</summary>
    public (int H, int W)? Size { get; init; }

    /// <summary>3 (RGB) or 1 (grey); images of other kinds are converted.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Widen the bilinear filter when shrinking (Pillow / torchvision behaviour); false = plain bilinear.</summary>
    public bool Antialias { get; init; } = true;

    /// <summary>Class names in label order; null = the sorted sub-folder names (torchvision's ImageFolder). A
    /// sub-folder not in the list is an error; a listed class without a folder simply has no images.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Order images round-robin over the classes (image 0 of each class, then image 1, ...) instead of class
    /// after class, so any prefix or suffix (e.g. a validation tail) is class-balanced.</summary>
    public bool Interleave { get; init; }

    /// <summary>Threads decoding images (≤ 0: one per core).</summary>
    public int MaxParallelism { get; init; } = -1;

    /// <summary>Bounds on image sizes, archive members and the whole array (default <see cref="ReadLimits.Default"/>).</summary>
    public ReadLimits Limits { get; init; } = ReadLimits.Default;

    internal void Validate()
    {
        if (Channels is not (1 or 3)) throw new ArgumentException($"ImageFolderOptions: Channels must be 1 or 3, got {Channels}");
        if (Size is { } s && (s.H < 1 || s.W < 1)) throw new ArgumentException($"ImageFolderOptions: Size must be positive, got {s.H}×{s.W}");
        if (Classes is { Count: > 256 }) throw new ArgumentException($"ImageFolderOptions: at most 256 classes (labels are bytes), got {Classes.Count}");
    }
}
