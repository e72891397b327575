namespace Nabla.Data;

/// <summary>The splits of an MNIST-format dataset and the folder they were read from. <see cref="Validation"/> is
/// null unless <see cref="MnistOptions.ValidationCount"/> was set; it then shares pixels with <see cref="Train"/>'s file.</summary>
public sealed record MnistSplits(ImageDataset Train, ImageDataset? Validation, ImageDataset Test, string Directory);
