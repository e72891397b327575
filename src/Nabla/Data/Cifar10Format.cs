namespace Nabla.Data;

/// <summary>Which copy of CIFAR-10 was read; results on <see cref="Jpeg"/> must be labelled "CIFAR-10 (JPEG copy)".</summary>
public enum Cifar10Format
{
    /// <summary>The original binary files (cifar-10-binary.tar.gz or its extracted .bin files): exact pixels.</summary>
    Binary,

    /// <summary>The lossy JPEG export (cifar-10-jpeg.tar.gz or train/&lt;class&gt;/*.jpg, test/&lt;class&gt;/*.jpg):
    /// exact labels, pixels off by ~6/255 on average.</summary>
    Jpeg,
}
