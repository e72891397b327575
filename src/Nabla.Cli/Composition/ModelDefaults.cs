namespace Nabla.Cli.Composition;

/// <summary>Per-model defaults: the recipes that reach the README's accuracies with no other flag.</summary>
public static class ModelDefaults
{
    /// <summary>The recipe for <paramref name="model"/> on <paramref name="data"/>: the MNIST-tuned recipes for the
    /// built-in datasets, and for your own folder or table Adam (lr 1e-3, batch 32, cosine) with smaller MLP layers,
    /// which trains from scratch on a few hundred examples where the SGD recipes (lr 0.05) stall at chance.</summary>
    public static TrainOptions For(string model, string data)
    {
        var d = For(model);
        if (TrainData.BuiltIn.Contains(data) && data != "dogs-vs-cats") return d;
        return d with
        {
            Epochs = model == "mlp" ? 20 : 10, BatchSize = 32, LearningRate = 1e-3, Optimizer = "adam", WeightDecay = 0,
            Hidden = model == "mlp" ? [128, 128] : d.Hidden, Dropout = 0.0,
        };
    }

    /// <summary>The defaults (epochs, batch, optimizer, learning rate, schedule...) of the named model, used for every option left unset.</summary>
    public static TrainOptions For(string model) => model switch
    {
        // 784-1024-1024-10 ReLU MLP, dropout 0.2, SGD + Nesterov momentum, cosine decay over 20 epochs.
        "mlp" => new TrainOptions
        {
            Epochs = 20, BatchSize = 128, LearningRate = 0.05, Optimizer = "nesterov", Momentum = 0.9, WeightDecay = 1e-4,
            Schedule = "cosine", Init = "default", Activation = "relu", Hidden = [1024, 1024], Dropout = 0.2, BatchNorm = false,
        },
        // conv(16, 5×5) → pool → conv(32, 5×5) → pool → linear, SGD + momentum, cosine decay over 12 epochs.
        "cnn" => new TrainOptions
        {
            Epochs = 12, BatchSize = 64, LearningRate = 0.05, Optimizer = "momentum", Momentum = 0.9, WeightDecay = 5e-4,
            Schedule = "cosine", Init = "default", Activation = "relu", Hidden = [], Dropout = 0.0, BatchNorm = false,
        },
        // Small ResNet (stem + 3 stages of one basic block, 16/32/64 channels, global average pool), SGD + momentum, cosine.
        "resnet" => new TrainOptions
        {
            Epochs = 10, BatchSize = 64, LearningRate = 0.05, Optimizer = "momentum", Momentum = 0.9, WeightDecay = 5e-4,
            Schedule = "cosine", Init = "default", Activation = "relu", Hidden = [], Dropout = 0.0, BatchNorm = true,
        },
        _ => throw new Nabla.Cli.Commands.UsageException($"unknown model '{model}'; choose from {string.Join(", ", ModelFactory.Names)}"),
    };

    /// <summary>Fills the nulls of <paramref name="o"/> from <paramref name="d"/>.</summary>
    public static TrainOptions Fill(this TrainOptions d, TrainOptions o) => o with
    {
        Epochs = o.Epochs ?? d.Epochs,
        BatchSize = o.BatchSize ?? d.BatchSize,
        LearningRate = o.LearningRate ?? d.LearningRate,
        Optimizer = o.Optimizer ?? d.Optimizer,
        Momentum = o.Momentum ?? d.Momentum,
        WeightDecay = o.WeightDecay ?? d.WeightDecay,
        Schedule = o.Schedule ?? d.Schedule,
        Init = o.Init ?? d.Init,
        Activation = o.Activation ?? d.Activation,
        Hidden = o.Hidden ?? d.Hidden,
        Dropout = o.Dropout ?? d.Dropout,
        BatchNorm = o.BatchNorm ?? d.BatchNorm,
    };
}
