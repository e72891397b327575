using Nabla.NN;
using static Nabla.IO.Onnx.OnnxAttribute;

namespace Nabla.IO.Onnx;

public static partial class OnnxConverters
{
    // Gate blocks of ONNX's order taken from PyTorch's: LSTM i,o,f,c ← i,f,g,o; GRU z,r,h ← r,z,n.
    private static readonly int[] LstmGateOrder = [0, 3, 1, 2], GruGateOrder = [1, 0, 2], RnnGateOrder = [0];

    private static void RegisterRecurrent(OnnxExporter e)
    {
        e.Register<Embedding>((ctx, m, x) =>
            Out(ctx, m, ctx.Node("Gather", [ctx.Initializer(Key(ctx, "weight"), m.Weight), x.Name], Int("axis", 0))));
        e.Register<LSTM>((ctx, m, x) => Recurrent(ctx, m, x));
        e.Register<GRU>((ctx, m, x) => Recurrent(ctx, m, x));
        e.Register<RNN>((ctx, m, x) => Recurrent(ctx, m, x));
    }

    /// <summary>
    /// A stacked RNN/LSTM/GRU as one ONNX RNN/LSTM/GRU node per layer (forward direction, zero initial states):
    /// W = weight_ih [1, G·H, in], R = weight_hh [1, G·H, H] with the gate blocks reordered, B = [b_ih | b_hh] [1, 2·G·H]
    /// (a single bias goes on the input side; GRU's linear_before_reset = 1 is PyTorch's r⊙(W_hn·h + b_hn)).
    /// ONNX wants time-major [T, N, I] and returns Y [T, 1, N, H]: batch-first input is transposed in and out, and the
    /// direction axis squeezed. Returns the output sequence (the module's Forward).
    /// </summary>
    internal static OnnxValue Recurrent(OnnxContext ctx, RNNBase m, OnnxValue x)
    {
        if (x.Rank != 3)
            throw ctx.Error(m, $"only batched input is exported ([N, T, I] or [T, N, I]), got shape [{string.Join(", ", x.Shape)}]");
        var (op, order, attributes) = m switch
        {
            LSTM l => ("LSTM", LstmGateOrder, LstmActivations(l)),
            GRU => ("GRU", GruGateOrder, [Int("linear_before_reset", 1)]),
            RNN r => ("RNN", RnnGateOrder, new[] { Strings("activations", r.Nonlinearity == RecurrentActivation.Relu ? "Relu" : "Tanh") }),
            _ => throw ctx.Error(m, "unknown recurrent layer"),
        };
        int h = m.HiddenSize, g = order.Length * h;
        string seq = m.BatchFirst ? ctx.Node("Transpose", [x.Name], Ints("perm", 1, 0, 2)) : x.Name;      // [T, N, I]
        string axis1 = ctx.Int64s(Key(ctx, "direction_axis"), 1);
        for (int k = 0; k < m.NumLayers; k++)
        {
            var wih = m.WeightIh(k);
            string w = ctx.Initializer(Key(ctx, $"W_l{k}"), m.WeightIh(k).DType, [1, g, wih.Size(1)], Reorder(wih, order, h));
            string r = ctx.Initializer(Key(ctx, $"R_l{k}"), m.WeightHh(k).DType, [1, g, h], Reorder(m.WeightHh(k), order, h));
            string b = "";
            if (m.BiasIh(k) is Tensor bih)
            {
                byte[] input = Reorder(bih, order, h);
                byte[] hidden = m.BiasHh(k) is Tensor bhh ? Reorder(bhh, order, h) : new byte[input.Length];
                b = ctx.Initializer(Key(ctx, $"B_l{k}"), bih.DType, [1, 2 * g], [.. input, .. hidden]);
            }
            string y = ctx.Node(op, [seq, w, r, b], [Int("hidden_size", h), .. attributes]);              // [T, 1, N, H]
            seq = ctx.Node("Squeeze", [y, axis1]);                                                         // [T, N, H]
        }
        string output = m.BatchFirst ? ctx.Node("Transpose", [seq], Ints("perm", 1, 0, 2)) : seq;
        return new(output, [x.Shape[0], x.Shape[1], h]);
    }

    /// <summary>ONNX's LSTM activations f (gates), g (candidate), h (cell output): the defaults σ, tanh, tanh unless
    /// the layer uses a σ candidate or a ReLU cell activation.</summary>
    private static OnnxAttribute[] LstmActivations(LSTM l)
    {
        if (l.CandidateActivation == LstmCandidateActivation.Tanh && l.CellActivation == RecurrentActivation.Tanh) return [];
        return [Strings("activations", "Sigmoid", l.CandidateActivation == LstmCandidateActivation.Tanh ? "Tanh" : "Sigmoid",
            l.CellActivation == RecurrentActivation.Relu ? "Relu" : "Tanh")];
    }

    /// <summary>The bytes of <paramref name="t"/> ([G·H] or [G·H, cols]) with its G gate blocks of H rows put in
    /// <paramref name="order"/> (block i of the result is block order[i] of the input).</summary>
    private static byte[] Reorder(Tensor t, int[] order, int hidden)
    {
        byte[] src = OnnxContext.TensorBytes(t);
        int block = src.Length / order.Length;
        if (t.Size(0) != order.Length * hidden) throw new InvalidOperationException($"expected {order.Length}·{hidden} rows, got {t.Size(0)}");
        var dst = new byte[src.Length];
        for (int i = 0; i < order.Length; i++) Array.Copy(src, order[i] * block, dst, i * block, block);
        return dst;
    }
}
