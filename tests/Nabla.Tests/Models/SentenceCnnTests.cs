using Nabla.Models;

namespace Nabla.Tests.Models;

public class SentenceCnnTests
{
    private static Tensor Tokens(int[,] ids) => Tensor.FromArray(ids.Cast<int>().ToArray(), ids.GetLength(0), ids.GetLength(1));

    [Fact]
    public void Parameter_count_by_hand_and_logits_shape()
    {
        // embedding 20·8; convs 4·8·k + 4 for k = 3, 4, 5; fc 12·3 + 3.
        var m = new SentenceCnn(20, 3, embeddingDim: 8, filters: 4, generator: new Generator(1));
        Assert.Equal(160 + (96 + 4) + (128 + 4) + (160 + 4) + 39, m.ParameterCount());
        var logits = m.Forward(Tokens(new[,] { { 2, 3, 4, 5, 6, 7 }, { 8, 9, 0, 0, 0, 0 } }));
        TestUtil.AssertShape(logits, 2, 3);
    }

    [Fact]
    public void Short_batches_are_padded_to_the_widest_kernel()
    {
        var m = new SentenceCnn(10, 2, embeddingDim: 4, filters: 3, generator: new Generator(2));
        m.Eval();
        var short2 = m.Forward(Tokens(new[,] { { 2, 3 } }));
        var padded = m.Forward(Tokens(new[,] { { 2, 3, 0, 0, 0 } }));
        Assert.Equal(padded.ToArray<float>(), short2.ToArray<float>());
    }

    [Fact]
    public void Tensor_sizes_match_the_forward_pass()
    {
        var m = new SentenceCnn(30, 6, embeddingDim: 5, filterSizes: [2, 3], filters: 7, generator: new Generator(3));
        var rows = m.TensorSizes(4, 9).ToDictionary(r => r.Name, r => r.Shape);
        var tokens = Tensor.RandInt(1, 30, [4, 9], new Generator(4));
        var emb = m.Embedding.Forward(tokens);
        Assert.Equal(rows["embedded input"], emb.Shape.ToArray());
        Assert.Equal(rows["kernel k=3"], m.Convolutions[1].Weight.Shape.ToArray());
        var fmap = m.Convolutions[1].Forward(emb.Transpose(1, 2));
        Assert.Equal(rows["feature map k=3"], fmap.Shape.ToArray());
        Assert.Equal([4, 7], rows["max over time k=3"]);
        Assert.Equal(rows["concatenated features"], new[] { 4, m.Fc.InFeatures });
        Assert.Equal(rows["fc weight"], m.Fc.Weight.Shape.ToArray());
        Assert.Equal(rows["output (logits)"], m.Forward(tokens).Shape.ToArray());
        Assert.Contains("kernel k=2", TensorSizeTable.Format(m.TensorSizes(4, 9)));
    }

    [Fact]
    public void Max_over_time_pooling_matches_a_hand_loop_and_padding_row_gets_no_gradient()
    {
        var m = new SentenceCnn(12, 2, embeddingDim: 3, filterSizes: [2], filters: 2, dropout: 0, generator: new Generator(5));
        var tokens = Tokens(new[,] { { 2, 5, 7, 0 } });
        // features_f = max_t relu(Σ_{c,j} W[f,c,j]·E[tok_{t+j}, c] + b_f), computed by loops.
        var e = m.Embedding.Weight.ToArray<float>();
        var w = m.Convolutions[0].Weight.ToArray<float>();
        var b = m.Convolutions[0].Bias!.ToArray<float>();
        int[] tok = [2, 5, 7, 0];
        var feat = new double[2];
        for (int f = 0; f < 2; f++)
            for (int t = 0; t < 3; t++)
            {
                double s = b[f];
                for (int c = 0; c < 3; c++) for (int j = 0; j < 2; j++) s += w[(f * 3 + c) * 2 + j] * e[tok[t + j] * 3 + c];
                feat[f] = Math.Max(feat[f], Math.Max(s, 0));
            }
        var fw = m.Fc.Weight.ToArray<float>();
        var fb = m.Fc.Bias!.ToArray<float>();
        var logits = m.Forward(tokens);
        for (int k = 0; k < 2; k++) Assert.Equal(fb[k] + fw[k * 2] * feat[0] + fw[k * 2 + 1] * feat[1], logits.ToArray<float>()[k], 4);
        logits.CrossEntropy(Tensor.FromArray([1], 1)).Backward();
        Assert.Equal([0f, 0f, 0f], m.Embedding.Weight.Grad!.ToArray<float>()[0..3]);
        Assert.NotNull(m.Convolutions[0].Weight.Grad);
    }

    [Fact]
    public void Invalid_sizes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SentenceCnn(10, 2, filterSizes: []));
        Assert.Throws<ArgumentException>(() => m(() => new SentenceCnn(10, 2, embeddingDim: 4, embedding: new Nabla.NN.Embedding(10, 5))));
        Assert.Throws<ArgumentException>(() => new SentenceCnn(10, 2).Forward(Tensor.Zeros(2, 5)));
        static object m(Func<object> f) => f();
    }
}
