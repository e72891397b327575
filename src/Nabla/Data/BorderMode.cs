namespace Nabla.Data;

/// <summary>What an image shift reads outside the image.</summary>
public enum BorderMode
{
    /// <summary>Zero (on standardised images: the channel mean).</summary>
    Zeros,

    /// <summary>The mirror image without repeating the edge, as PyTorch's <c>F.pad(mode='reflect')</c>: index −1 reads 1,
    /// index H reads H − 2.</summary>
    Reflect,
}
