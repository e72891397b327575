namespace Nabla.Models;

/// <summary>One tensor of a model's forward pass: what it is, its shape and a note on where the size comes from.</summary>
public sealed record TensorSizeRow(string Name, int[] Shape, string Note)
{
    /// <summary>The shape as "[2, 3]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>A model that can list the size of every tensor it creates or holds (input, embedding, kernels, hidden
/// and cell states, output) for a batch of <c>batch</c> sentences of <c>length</c> tokens.</summary>
public interface ITensorSizes
{
    /// <summary>The rows for <paramref name="batch"/> sentences of <paramref name="length"/> tokens, input first, logits last.</summary>
    IReadOnlyList<TensorSizeRow> TensorSizes(int batch, int length);
}

/// <summary>Formats <see cref="ITensorSizes.TensorSizes"/> rows for reports.</summary>
public static class TensorSizeTable
{
    /// <summary>The rows as a plain-text table (name, shape, note), one line per tensor.</summary>
    public static string Format(IReadOnlyList<TensorSizeRow> rows)
    {
        int w1 = Math.Max(6, rows.Max(r => r.Name.Length)), w2 = Math.Max(5, rows.Max(r => r.ShapeText.Length));
        var lines = new List<string> { $"{"tensor".PadRight(w1)}  {"shape".PadRight(w2)}  note" };
        lines.AddRange(rows.Select(r => $"{r.Name.PadRight(w1)}  {r.ShapeText.PadRight(w2)}  {r.Note}"));
        return string.Join(Environment.NewLine, lines);
    }
}
