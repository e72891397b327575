using Nabla.Models;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>The recurrent cell of a model in the gru-vs-lstm lab.</summary>
public enum RecurrentCell
{
    /// <summary>Plain (Elman) RNN, h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh): one weight block.</summary>
    Rnn,
    /// <summary>Gated recurrent unit: reset and update gates and the candidate, three weight blocks.</summary>
    Gru,
    /// <summary>LSTM: input, forget and output gates and the candidate, four weight blocks, plus a cell state.</summary>
    Lstm,
}

public static class RecurrentCells
{
    /// <summary>Weight blocks G of a cell: 1 (RNN), 3 (GRU), 4 (LSTM).</summary>
    public static int Gates(RecurrentCell cell) => cell switch { RecurrentCell.Rnn => 1, RecurrentCell.Gru => 3, _ => 4 };

    public static string Label(RecurrentCell cell) => cell switch { RecurrentCell.Rnn => "RNN", RecurrentCell.Gru => "GRU", _ => "LSTM" };

    /// <summary>Parameters of one recurrent layer with PyTorch's two biases: G·H·(D + H) weights + 2·G·H biases.</summary>
    public static long LayerParameters(RecurrentCell cell, int inputSize, int hidden) =>
        (long)Gates(cell) * hidden * (inputSize + hidden) + 2L * Gates(cell) * hidden;

    /// <summary>The library layer for a cell (batch-first; the plain RNN with the given nonlinearity).</summary>
    public static RNNBase Create(RecurrentCell cell, int inputSize, int hidden, Generator? generator, string nonlinearity = "tanh") => cell switch
    {
        RecurrentCell.Rnn => new RNN(inputSize, hidden, nonlinearity: nonlinearity, generator: generator),
        RecurrentCell.Gru => new GRU(inputSize, hidden, generator: generator),
        _ => new LSTM(inputSize, hidden, generator: generator),
    };
}

/// <summary>
/// The sentence-rnn lab's classifier with a choice of cell: tokens [N, T] → embedding [N, T, D] (random U(−0.25, 0.25),
/// pad row 0 zero) → RNN, GRU or LSTM → hidden states [N, T, H] → sentence vector [N, H] (state at the last real token, or
/// the masked mean) → dropout → Linear → logits [N, C]. Parameters: V·D + G·H·(D + H) + 2·G·H + C·H + C.
/// </summary>
public sealed class RecurrentSentenceClassifier : Module, ITensorSizes
{
    public RecurrentCell Cell { get; }
    public SentencePooling Pooling { get; }
    public int VocabularySize { get; }
    public int EmbeddingDim { get; }
    public int HiddenSize { get; }
    public int Classes { get; }

    public Embedding Embedding { get; }
    public RNNBase Recurrent { get; }
    public Dropout Dropout { get; }
    public Linear Fc { get; }

    public RecurrentSentenceClassifier(RecurrentCell cell, int vocabularySize, int classes, int embeddingDim, int hiddenSize,
        SentencePooling pooling = SentencePooling.Last, double dropout = 0.5, Generator? generator = null)
    {
        if (vocabularySize < 2 || classes < 1 || embeddingDim < 1 || hiddenSize < 1)
            throw new ArgumentException($"RecurrentSentenceClassifier: sizes must be positive (vocabulary {vocabularySize}, classes {classes}, embedding {embeddingDim}, hidden {hiddenSize})");
        (Cell, Pooling, VocabularySize, Classes, EmbeddingDim, HiddenSize) = (cell, pooling, vocabularySize, classes, embeddingDim, hiddenSize);
        var table = Tensor.Rand([vocabularySize, embeddingDim], -0.25, 0.25, generator: generator).ToArray<float>();
        Array.Clear(table, 0, embeddingDim);                                           // <pad> (row 0) is the zero vector
        Embedding = RegisterModule("embedding", Embedding.FromPretrained(Tensor.FromArray(table, vocabularySize, embeddingDim), freeze: false, paddingIdx: 0));
        Recurrent = RegisterModule("rnn", RecurrentCells.Create(cell, embeddingDim, hiddenSize, generator));
        Dropout = RegisterModule("dropout", new Dropout(dropout));
        Fc = RegisterModule("fc", new Linear(hiddenSize, classes, generator: generator));
    }

    /// <summary>V·D + G·H·(D + H) + 2·G·H + C·H + C, the formula the report quotes.</summary>
    public static long ParameterFormula(RecurrentCell cell, int v, int d, int h, int c) =>
        (long)v * d + RecurrentCells.LayerParameters(cell, d, h) + (long)c * h + c;

    public override Tensor Forward(Tensor tokens)
    {
        if (tokens.DType != DType.Int32 || tokens.Rank != 2)
            throw new ArgumentException($"RecurrentSentenceClassifier: expected int32 tokens [N, T], got {tokens.DType} [{string.Join(", ", tokens.Shape.ToArray())}]");
        int n = tokens.Size(0), t = tokens.Size(1);
        var ids = tokens.ToArray<int>();
        var lengths = new int[n];
        var mask = new float[n * t];
        for (int i = 0; i < ids.Length; i++) if (ids[i] != 0) { mask[i] = 1; lengths[i / t]++; }
        var states = Recurrent.Run(Embedding.Invoke(tokens)).Output;                  // [N, T, H]
        Tensor vector;
        if (Pooling == SentencePooling.Mean)
            vector = (states * Tensor.FromArray(mask, n, t, 1)).Sum(1) / Tensor.FromArray(lengths.Select(l => (float)Math.Max(l, 1)).ToArray(), n, 1);
        else
        {
            var pick = new float[n * t];                                               // one-hot at t = length − 1
            for (int i = 0; i < n; i++) if (lengths[i] > 0) pick[i * t + lengths[i] - 1] = 1;
            vector = (states * Tensor.FromArray(pick, n, t, 1)).Sum(1);
        }
        return Fc.Invoke(Dropout.Invoke(vector));
    }

    public IReadOnlyList<TensorSizeRow> TensorSizes(int batch, int length)
    {
        int g = RecurrentCells.Gates(Cell), h = HiddenSize, d = EmbeddingDim;
        string name = RecurrentCells.Label(Cell);
        var rows = new List<TensorSizeRow>
        {
            new("input (token ids)", [batch, length], "N × T, int32, padded with 0 after each sentence"),
            new("embedding table", [VocabularySize, d], "V × D"),
            new("embedded input", [batch, length, d], "N × T × D"),
            new($"{name} W_ih", [g * h, d], $"{g}H × D" + (g > 1 ? $": {g} blocks stacked ({Blocks(Cell)})" : "")),
            new($"{name} W_hh", [g * h, h], $"{g}H × H (+ biases b_ih, b_hh [{g}H])"),
            new("hidden state h_t", [batch, h], "N × H"),
        };
        if (Cell == RecurrentCell.Lstm) rows.Add(new("cell state c_t", [batch, h], "N × H"));
        rows.Add(new($"{name} output (all h_t)", [batch, length, h], "N × T × H"));
        rows.Add(new("sentence vector", [batch, h], Pooling == SentencePooling.Last ? "N × H, h at the last real token" : "N × H, masked mean of h_t"));
        rows.Add(new("fc weight", [Classes, h], "C × H (+ bias [C])"));
        rows.Add(new("output (logits)", [batch, Classes], "N × C"));
        return rows;
    }

    private static string Blocks(RecurrentCell cell) => cell == RecurrentCell.Gru ? "r, z, n" : "i, f, g, o";
}

/// <summary>A recurrent regressor for the adding task: x [N, T, 2] → RNN/GRU/LSTM → h_T [N, H] → Linear → ŷ [N, 1].</summary>
public sealed class SequenceRegressor : Module
{
    public RNNBase Recurrent { get; }
    public Linear Fc { get; }

    public SequenceRegressor(RecurrentCell cell, int hidden, Generator? generator, string nonlinearity = "tanh")
    {
        Recurrent = RegisterModule("rnn", RecurrentCells.Create(cell, 2, hidden, generator, nonlinearity));
        Fc = RegisterModule("fc", new Linear(hidden, 1, generator: generator));
    }

    public override Tensor Forward(Tensor x) => Fc.Invoke(Recurrent.Run(x).HN.Select(0, 0));
}

/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997; Le et al. 2015): each step carries a value U(0, 1) and a
/// marker; exactly two steps are marked, one in the first half of the sequence and one in the second; the target is the
/// sum of the two marked values. Predicting the mean (1) scores the variance of that sum, 1/6.
/// </summary>
public static class AddingTask
{
    /// <summary>x [N, T, 2] (channel 0 value, channel 1 marker) and y [N, 1], drawn from <paramref name="rng"/>.</summary>
    public static (Tensor X, Tensor Y) Batch(int n, int length, Random rng)
    {
        if (length < 2) throw new ArgumentException($"AddingTask: the sequence length must be at least 2, got {length}");
        var x = new float[n * length * 2];
        var y = new float[n];
        int half = length / 2;
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < length; t++) x[(i * length + t) * 2] = rng.NextSingle();
            int a = rng.Next(half), b = half + rng.Next(length - half);
            x[(i * length + a) * 2 + 1] = 1;
            x[(i * length + b) * 2 + 1] = 1;
            y[i] = x[(i * length + a) * 2] + x[(i * length + b) * 2];
        }
        return (Tensor.FromArray(x, n, length, 2), Tensor.FromArray(y, n, 1));
    }

    /// <summary>Population variance of the targets: the mean squared error of always predicting their mean.</summary>
    public static double Variance(Tensor y)
    {
        var v = y.ToDoubleArray();
        double m = v.Average();
        return v.Sum(a => (a - m) * (a - m)) / v.Length;
    }
}
