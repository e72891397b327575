using Nabla.Models;
using Nabla.NN;
using static Nabla.IO.Onnx.OnnxAttribute;

namespace Nabla.IO.Onnx;

public static partial class OnnxConverters
{
    private static void RegisterModels(OnnxExporter e)
    {
        e.Register<BasicBlock>(ConvertBasicBlock);
        e.Register<Scale>((ctx, m, x) => new(ctx.Node("Mul", [x.Name, ctx.Scalar(Key(ctx, "factor"), m.Factor)]), x.Shape));
        e.Register<SentenceLstm>(ConvertSentenceLstm);
        e.Register<SentenceCnn>(ConvertSentenceCnn);
    }

    /// <summary>y = ReLU(BN₂(conv₂(ReLU(BN₁(conv₁(x))))) + shortcut(x)), shortcut = x or the projection.</summary>
    private static OnnxValue ConvertBasicBlock(OnnxContext ctx, BasicBlock m, OnnxValue x)
    {
        var y = ctx.Emit(m.Bn1, ctx.Emit(m.Conv1, x, "conv1"), "bn1");
        y = new(ctx.Node("Relu", [y.Name]), y.Shape);
        y = ctx.Emit(m.Bn2, ctx.Emit(m.Conv2, y, "conv2"), "bn2");
        var shortcut = m.Downsample is null ? x : ctx.Emit(m.Downsample, x, "downsample");
        return new(ctx.Node("Relu", [ctx.Node("Add", [y.Name, shortcut.Name])]), y.Shape);
    }

    /// <summary>
    /// tokens [N, T] (int32, 0 = padding on the right) → Gather → LSTM over all T steps (as Nabla runs it: states before
    /// a sentence's end never see its padding) → the state at t = length − 1 (one-hot over time, zero for an empty
    /// sentence) or the masked mean Σ_t mask·h_t / max(length, 1) → Identity (dropout) → Gemm. lengths = Σ_t [token ≠ 0].
    /// </summary>
    private static OnnxValue ConvertSentenceLstm(OnnxContext ctx, SentenceLstm m, OnnxValue tokens)
    {
        if (tokens.Rank != 2) throw ctx.Error(m, $"expects int32 tokens [N, T], got shape [{string.Join(", ", tokens.Shape)}]");
        int n = tokens.Shape[0], h = m.HiddenSize;
        var embedded = ctx.Emit(m.Embedding, tokens, "embedding");                                      // [N, T, D]
        string states = ctx.Emit(m.Lstm, embedded, "lstm").Name;                                          // [N, T, H]
        string pad = ctx.Int64s(Key(ctx, "pad_index"), 0);
        string real = ctx.Node("Not", [ctx.Node("Equal", [ctx.Node("Cast", [tokens.Name], Int("to", 7)), pad])]);   // [N, T] bool
        string axis1 = ctx.Int64s(Key(ctx, "time_axis"), 1), axis2 = ctx.Int64s(Key(ctx, "feature_axis"), 2);
        int floatType = (int)OnnxContext.ElemType(ctx.FloatType);
        string weights;                                                                                   // [N, T] pooling weights
        string? divisor = null;
        if (m.Pooling == SentencePooling.Last)
        {
            string lengths = ctx.Node("ReduceSum", [ctx.Node("Cast", [real], Int("to", 7)), axis1], Int("keepdims", 1));   // [N, 1]
            string last = ctx.Node("Sub", [lengths, ctx.Int64s(Key(ctx, "one"), 1)]);
            string time = ctx.Node("Gather", [ctx.Node("Shape", [tokens.Name]), ctx.Int64Scalar(Key(ctx, "time_dim"), 1)]);   // T
            string steps = ctx.Node("Range", [ctx.Int64Scalar(Key(ctx, "start"), 0), time, ctx.Int64Scalar(Key(ctx, "step"), 1)]);   // [T]
            weights = ctx.Node("Cast", [ctx.Node("Equal", [steps, last])], Int("to", floatType));        // [N, T] one-hot
        }
        else
        {
            weights = ctx.Node("Cast", [real], Int("to", floatType));
            string lengths = ctx.Node("ReduceSum", [weights, axis1], Int("keepdims", 1));                 // [N, 1]
            divisor = ctx.Node("Max", [lengths, ctx.Scalar(Key(ctx, "one"), 1)]);
        }
        string picked = ctx.Node("Mul", [states, ctx.Node("Unsqueeze", [weights, axis2])]);              // [N, T, H]
        string pooled = ctx.Node("ReduceSum", [picked, axis1], Int("keepdims", 0));                       // [N, H]
        if (divisor is not null) pooled = ctx.Node("Div", [pooled, divisor]);
        var sentence = new OnnxValue(pooled, [n, h]);
        return ctx.Emit(m.Fc, ctx.Emit(m.Dropout, sentence, "dropout"), "fc");
    }

    /// <summary>
    /// tokens [N, T] → right-padded with token 0 up to the widest kernel when shorter (Pad by max(0, k − T)) → Gather
    /// [N, T, D] → Transpose [N, D, T] → per filter width: Conv1d → Relu → GlobalMaxPool (max over time) → [N, F] →
    /// Concat → Identity (dropout) → Gemm.
    /// </summary>
    private static OnnxValue ConvertSentenceCnn(OnnxContext ctx, SentenceCnn m, OnnxValue tokens)
    {
        if (tokens.Rank != 2) throw ctx.Error(m, $"expects int32 tokens [N, T], got shape [{string.Join(", ", tokens.Shape)}]");
        int n = tokens.Shape[0], t = Math.Max(tokens.Shape[1], m.FilterSizes.Max());
        string time = ctx.Node("Gather", [ctx.Node("Shape", [tokens.Name]), ctx.Int64s(Key(ctx, "time_dim"), 1)]);                 // [1]
        string missing = ctx.Node("Max", [ctx.Node("Sub", [ctx.Int64s(Key(ctx, "widest_kernel"), m.FilterSizes.Max()), time]),
            ctx.Int64s(Key(ctx, "zero"), 0)]);
        string pads = ctx.Node("Concat", [ctx.Int64s(Key(ctx, "pads_head"), 0, 0, 0), missing], Int("axis", 0));                 // [0, 0, 0, k − T]⁺
        string padded = ctx.Node("Pad", [tokens.Name, pads]);                                                                    // zeros = <pad>
        var embedded = ctx.Emit(m.Embedding, new OnnxValue(padded, [n, t]), "embedding");                                      // [N, T, D]
        var channels = new OnnxValue(ctx.Node("Transpose", [embedded.Name], Ints("perm", 0, 2, 1)), [n, m.EmbeddingDim, t]);     // [N, D, T]
        string timeAxis = ctx.Int64s(Key(ctx, "time_axis"), 2);
        var pooled = new string[m.Convolutions.Count];
        for (int i = 0; i < pooled.Length; i++)
        {
            var conv = ctx.Emit(m.Convolutions[i], channels, $"conv{i}");
            pooled[i] = ctx.Node("Squeeze", [ctx.Node("GlobalMaxPool", [ctx.Node("Relu", [conv.Name])]), timeAxis]);             // [N, F]
        }
        string features = pooled.Length == 1 ? pooled[0] : ctx.Node("Concat", pooled, Int("axis", 1));
        var sentence = new OnnxValue(features, [n, m.Filters * pooled.Length]);
        return ctx.Emit(m.Fc, ctx.Emit(m.Dropout, sentence, "dropout"), "fc");
    }
}
