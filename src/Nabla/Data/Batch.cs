
namespace Nabla.Data;

/// <summary>One mini-batch: features X [B, ...] float32 and labels Y [B] int32. Deconstructs, so
/// <c>foreach (var (x, y) in loader)</c> works.</summary>
public readonly record struct Batch(Tensor X, Tensor Y)
{
    /// <summary>Number of examples B.</summary>
    public int Size => Y.Size(0);
}
