using Nabla.Models;
using Nabla.Optim;

namespace Nabla.Tests.Models;

public class RnnLanguageModelTests
{
    /// <summary>Sentences of the cyclic sequence 2 3 4 5 2 3 4 5 … (0 = padding): the next token is fully determined.</summary>
    private static Tensor Corpus(int n, int t, Generator g)
    {
        var data = new int[n * t];
        for (int i = 0; i < n; i++)
        {
            int start = g.NextInt(4), len = 3 + g.NextInt(t - 2);
            for (int j = 0; j < len; j++) data[i * t + j] = 2 + (start + j) % 4;
        }
        return Tensor.FromArray(data, n, t);
    }

    [Fact]
    public void Learns_a_deterministic_sequence_and_gives_sentence_vectors()
    {
        var g = new Generator(3);
        var lm = new RnnLanguageModel(6, embeddingDim: 8, hiddenSize: 16, generator: new Generator(1));
        var opt = new Adam(lm.Parameters(), new AdamOptions(0.02));
        var tokens = Corpus(32, 8, g);
        double first = lm.Loss(tokens).Item();
        Assert.InRange(first, Math.Log(6) - 0.5, Math.Log(6) + 0.5);   // ≈ uniform over 6 tokens at initialisation
        for (int step = 0; step < 300; step++)
        {
            opt.ZeroGrad();
            var loss = lm.Loss(tokens);
            loss.Backward();
            opt.Step();
        }
        Assert.True(lm.Loss(tokens).Item() < 0.1, $"loss {lm.Loss(tokens).Item()}");
        // After "2 3" comes 4; after "5" comes 2.
        Assert.Equal([4, 2], lm.PredictNext(Tensor.FromArray([2, 3, 4, 5], 2, 2)));
        TestUtil.AssertShape(lm.SentenceVector(tokens), 32, 16);
        TestUtil.AssertShape(lm.Forward(tokens), 32, 8, 6);
    }

    [Fact]
    public void Loss_ignores_padding_and_checks_shapes()
    {
        var lm = new RnnLanguageModel(5, 4, 6, generator: new Generator(2));
        var a = Tensor.FromArray([1, 2, 3, 0, 0], 1, 5);
        var b = Tensor.FromArray([1, 2, 3], 1, 3);
        Assert.Equal(lm.Loss(b).Item(), lm.Loss(a).Item(), 5);   // trailing padding changes nothing
        Assert.Throws<ShapeMismatchException>(() => lm.Loss(Tensor.FromArray([1], 1, 1)));
    }
}
