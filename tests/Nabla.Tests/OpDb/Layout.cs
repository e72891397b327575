namespace Nabla.Tests.OpDb;

/// <summary>How a sample input is laid out in memory when the op sees it (same logical values in every case).</summary>
public enum Layout
{
    /// <summary>A fresh row-major tensor.</summary>
    Contiguous,
    /// <summary>Stored with the last two dims swapped and viewed through <c>Transpose(-1, -2)</c> (rank ≥ 2).</summary>
    Transposed,
    /// <summary>Stored with size 1 in dim 0 and viewed through <c>Expand</c> (stride 0; the values repeat along dim 0).</summary>
    Expanded,
    /// <summary>Stored with two more elements in the last dim and viewed through <c>Narrow(-1, 1, n)</c>.</summary>
    Sliced,
}
