using Nabla.Models;

namespace Nabla.Tests.Models;

public class SentenceLstmTests
{
    [Fact]
    public void Last_pooling_is_the_state_at_the_last_real_token_of_each_sentence()
    {
        var m = new SentenceLstm(15, 3, embeddingDim: 4, hiddenSize: 5, pooling: SentencePooling.Last, dropout: 0, generator: new Generator(1));
        var batch = Tensor.FromArray([2, 3, 4, 5, 6, 7, 0, 0, 8, 0, 0, 0], 3, 4);
        var pooled = m.Encode(batch).ToArray<float>();
        // Each sentence alone, unpadded: its final h (= h_n) must equal the pooled vector of its row.
        int[][] alone = [[2, 3, 4, 5], [6, 7], [8]];
        for (int i = 0; i < 3; i++)
        {
            var x = m.Embedding.Forward(Tensor.FromArray(alone[i], 1, alone[i].Length));
            var hn = m.Lstm.Run(x).HN.ToArray<float>();
            for (int k = 0; k < 5; k++) Assert.Equal(hn[k], pooled[i * 5 + k], 5);
        }
    }

    [Fact]
    public void Mean_pooling_averages_only_the_real_tokens()
    {
        var m = new SentenceLstm(15, 3, embeddingDim: 4, hiddenSize: 5, pooling: SentencePooling.Mean, dropout: 0, generator: new Generator(2));
        var pooled = m.Encode(Tensor.FromArray([6, 7, 0, 0], 1, 4)).ToArray<float>();
        var output = m.Lstm.Run(m.Embedding.Forward(Tensor.FromArray([6, 7], 1, 2))).Output.ToArray<float>();   // [1, 2, 5]
        for (int k = 0; k < 5; k++) Assert.Equal((output[k] + output[5 + k]) / 2, pooled[k], 5);
    }

    [Fact]
    public void Tensor_sizes_match_the_forward_pass_and_gradients_reach_every_parameter()
    {
        var m = new SentenceLstm(20, 6, embeddingDim: 3, hiddenSize: 4, generator: new Generator(3));
        var rows = m.TensorSizes(2, 5).ToDictionary(r => r.Name, r => r.Shape);
        var tokens = Tensor.FromArray([2, 3, 4, 5, 6, 7, 8, 0, 0, 0], 2, 5);
        var r = m.Lstm.Run(m.Embedding.Forward(tokens));
        Assert.Equal(rows["LSTM output (all h_t)"], r.Output.Shape.ToArray());
        Assert.Equal(rows["h_n, c_n"], r.HN.Shape.ToArray());
        Assert.Equal(rows["h_n, c_n"], r.CN!.Shape.ToArray());
        Assert.Equal(rows["W_ih (layer 0)"], m.Lstm.WeightIh(0).Shape.ToArray());
        Assert.Equal(rows["W_hh"], m.Lstm.WeightHh(0).Shape.ToArray());
        Assert.Equal([2, 4], rows["cell state c_t"]);
        var logits = m.Forward(tokens);
        Assert.Equal(rows["output (logits)"], logits.Shape.ToArray());
        logits.CrossEntropy(Tensor.FromArray([1, 4], 2)).Backward();
        Assert.All(m.Parameters(), p => Assert.NotNull(p.Grad));
        Assert.Equal(0.0, m.Embedding.Weight.Grad!.ToArray<float>()[0..3].Sum(v => Math.Abs(v)));   // <pad> row
    }
}
