
namespace Nabla.Models;

/// <summary>The padding convention of the sentence models: token 0 is &lt;pad&gt; (as <c>Nabla.Data.Text.Vocabulary</c>
/// numbers it) and sentences are padded on the right.</summary>
internal static class TokenMask
{
    public const int PadIndex = 0;

    /// <summary>mask[n, t] = 1[token ≠ pad] as float32 [N, T], and the number of real tokens per row.</summary>
    public static (Tensor Mask, int[] Lengths) Of(Tensor tokens)
    {
        if (tokens.DType != DType.Int32 || tokens.Rank != 2)
            throw new ArgumentException($"expected int32 tokens [N, T], got {tokens.DType} [{string.Join(", ", tokens.Shape.ToArray())}]");
        int n = tokens.Size(0), t = tokens.Size(1);
        var ids = tokens.ToArray<int>();
        var mask = new float[ids.Length];
        var lengths = new int[n];
        for (int i = 0; i < ids.Length; i++)
            if (ids[i] != PadIndex) { mask[i] = 1f; lengths[i / t]++; }
        return (Tensor.FromArray(mask, n, t), lengths);
    }

    /// <summary>states[n, lengths[n] − 1, :] for every row of per-step states [N, T, H] → [N, H], picked with a
    /// one-hot weight over time so gradients flow (an empty sentence gives the zero vector).</summary>
    public static Tensor AtLastToken(Tensor states, int[] lengths)
    {
        int n = states.Size(0), t = states.Size(1);
        var pick = new float[n * t];
        for (int i = 0; i < n; i++) if (lengths[i] > 0) pick[i * t + lengths[i] - 1] = 1f;
        return (states * Tensor.FromArray(pick, n, t, 1).To(states.DType)).Sum(1);
    }
}
