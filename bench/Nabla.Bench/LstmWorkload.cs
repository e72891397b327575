using System.Text.Json.Nodes;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

public static partial class Workloads
{
    static partial void RegisterRecurrent(List<Workload> list) =>
        list.Add(new Workload("lstm-train",
            "Embedding(50000,300) -> LSTM(300->50, batch_first) over length-10 sequences -> h_n[-1] -> Linear(50,4); CE; Adam lr 1e-3 (dense embedding grads); batch 64; sentences/s",
            o => LstmTrain(o)));

    /// <summary>LSTMClassifier of the PyTorch reference: the last layer's final hidden state feeds the classifier.</summary>
    private sealed class LstmClassifier : Module
    {
        public Embedding Emb { get; }
        public LSTM Lstm { get; }
        public Linear Fc { get; }

        public LstmClassifier(int vocab, int emb, int hidden, int classes, Generator g)
        {
            Emb = RegisterModule(nameof(Emb), new Embedding(vocab, emb, generator: g));
            Lstm = RegisterModule(nameof(Lstm), new LSTM(emb, hidden, numLayers: 1, batchFirst: true, generator: g));
            Fc = RegisterModule(nameof(Fc), new Linear(hidden, classes, generator: g));
        }

        public override Tensor Forward(Tensor tokens) => Fc.Forward(Lstm.Run(Emb.Forward(tokens)).HN.Select(0, -1));
    }

    /// <summary>
    /// lstm-train, as bench_lstm_train in the PyTorch reference: one step = zero_grad (buffers zeroed, not freed) +
    /// forward + cross-entropy (mean) + backward + Adam step over every parameter, the embedding's gradient dense;
    /// a pool of 16 random batches (tokens in [0, 50000), labels in [0, 4)); 5 warm-up steps, calibrated steps per
    /// repetition, 10 more warm-up steps, median over repetitions.
    /// </summary>
    private static JsonObject LstmTrain(BenchOptions o, int batch = 64, int seq = 10, int vocab = 50000, int pool = 16)
    {
        var g = new Generator((ulong)o.Seed);
        var model = new LstmClassifier(vocab, 300, 50, 4, g);
        model.Train();
        var opt = new Adam(model.Parameters(), new AdamOptions(LearningRate: 1e-3));
        var batches = Enumerable.Range(0, pool)
            .Select(_ => (X: Tensor.RandInt(0, vocab, [batch, seq], g), Y: Tensor.RandInt(0, 4, [batch], g))).ToArray();
        int i = 0;
        Action step = () =>
        {
            var (x, y) = batches[i++ % pool];
            opt.ZeroGrad();
            var loss = model.Forward(x).CrossEntropy(y);
            loss.Backward();
            opt.Step();
        };
        for (int k = 0; k < 5; k++) step();
        int steps = BenchHarness.CalibrateIters(step, o.RepSeconds, maxIters: 1000);
        var per = BenchHarness.TimedReps(step, steps, o.Reps, warmupIters: 10);
        var settings = BenchHarness.CommonSettings(o);
        settings["batch"] = batch;
        settings["seq_len"] = seq;
        settings["vocab"] = vocab;
        settings["emb_dim"] = 300;
        settings["hidden"] = 50;
        settings["classes"] = 4;
        settings["steps_per_rep"] = steps;
        settings["nreps"] = o.Reps;
        settings["optimizer"] = "Adam lr=1e-3 (dense grads)";
        settings["loss"] = "cross_entropy(mean)";
        settings["zero_grad"] = "set_to_none=False";
        var rec = BenchHarness.Result("lstm-train", "train_sentences_per_s", per, batch, "sentences/s", 1.0, settings);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        return rec;
    }
}
