
namespace Nabla.Data.Text;

/// <summary>
/// A batch of variable-length token sequences padded on the right: <see cref="Tokens"/> int32 [N, T] (T = the
/// longest sequence, at least the minimum length asked for), <see cref="Lengths"/> int32 [N] and <see cref="Mask"/>
/// float32 [N, T] with mask[n, t] = 1[t &lt; length_n]. Positions past a sequence's length hold the pad index.
/// </summary>
public sealed record PaddedBatch(Tensor Tokens, Tensor Lengths, Tensor Mask)
{
    /// <summary>Pads <paramref name="sequences"/> with <paramref name="padIndex"/> to the longest length (but at least
    /// <paramref name="minLength"/>, e.g. the widest convolution kernel); with <paramref name="maxLength"/>, longer
    /// sequences are cut to their first maxLength tokens.</summary>
    public static PaddedBatch Pad(IReadOnlyList<int[]> sequences, int padIndex = Vocabulary.PadIndex, int minLength = 1, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (maxLength is < 1) throw new ArgumentException($"PaddedBatch.Pad: maxLength must be positive, got {maxLength}", nameof(maxLength));
        int n = sequences.Count;
        int t = Math.Max(minLength, sequences.Count == 0 ? 0 : sequences.Max(s => s.Length));
        if (maxLength is int m) t = Math.Min(t, Math.Max(m, minLength));
        var tokens = new int[n * t];
        var lengths = new int[n];
        var mask = new float[n * t];
        Array.Fill(tokens, padIndex);
        for (int i = 0; i < n; i++)
        {
            int len = Math.Min(sequences[i].Length, t);
            lengths[i] = len;
            sequences[i].AsSpan(0, len).CopyTo(tokens.AsSpan(i * t, len));
            mask.AsSpan(i * t, len).Fill(1f);
        }
        return new PaddedBatch(Tensor.FromArray(tokens, n, t), Tensor.FromArray(lengths, n), Tensor.FromArray(mask, n, t));
    }

    /// <summary>The float32 [N, T] mask 1[token ≠ pad] of an int32 [N, T] token tensor padded on the right, and the
    /// lengths (number of non-pad tokens per row).</summary>
    public static (Tensor Mask, int[] Lengths) MaskOf(Tensor tokens, int padIndex = Vocabulary.PadIndex)
    {
        if (tokens.DType != DType.Int32 || tokens.Rank != 2)
            throw new ArgumentException($"PaddedBatch.MaskOf: expected int32 tokens [N, T], got {tokens.DType} [{string.Join(", ", tokens.Shape.ToArray())}]");
        int n = tokens.Size(0), t = tokens.Size(1);
        var ids = tokens.ToArray<int>();
        var mask = new float[ids.Length];
        var lengths = new int[n];
        for (int i = 0; i < ids.Length; i++)
            if (ids[i] != padIndex) { mask[i] = 1f; lengths[i / Math.Max(t, 1)]++; }
        return (Tensor.FromArray(mask, n, t), lengths);
    }
}
