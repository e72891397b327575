namespace Nabla.Labs;

/// <summary>
/// The settings of the <c>solver</c> lab: sizes, optimiser settings (Adam with a per-epoch learning-rate decay, as
/// solver.py's <c>lr_decay</c>) and the search grids of each question. Every grid is searched on validation accuracy.
/// </summary>
public sealed record SolverLabSettings
{
    // ---- Q2, Q3: logistic and SVM on MNIST 4 vs 9 (500 / 250 / 250) ----

    [Setting("Q2/Q3 epochs of every binary model (an epoch is 500 / batch iterations)", Min = 1)]
    public int BinaryEpochs { get; init; }

    [Setting("Q2/Q3 minibatch size", Min = 1)]
    public int BinaryBatch { get; init; }

    [Setting("Q2/Q3 Adam learning rate", Min = 0)]
    public double BinaryLr { get; init; }

    [Setting("Q2/Q3 L2 strengths searched for the models without a hidden layer", Min = 0)]
    public double[] BinaryRegs { get; init; } = [];

    [Setting("Q2/Q3 hidden widths searched for the models with one ReLU hidden layer", Min = 1)]
    public int[] BinaryHidden { get; init; } = [];

    [Setting("Q2/Q3 L2 strength of the hidden-layer models", Min = 0)]
    public double BinaryHiddenReg { get; init; }

    // ---- MNIST ten digits: sizes ----

    [Setting("MNIST training images for Q4/Q5 (first n of the 54,000 training part; none = all)", Min = 1)]
    public int? TrainImages { get; init; }

    [Setting("MNIST validation images (first n of the 6,000 held out from the training file; none = all)", Min = 1)]
    public int? ValImages { get; init; }

    [Setting("MNIST test images (first n of the 10,000; none = all)", Min = 1)]
    public int? TestImages { get; init; }

    // ---- Q4: softmax regression and the two-layer softmax net ----

    [Setting("Q4 epochs", Min = 1)]
    public int SoftmaxEpochs { get; init; }

    [Setting("Q4 minibatch size", Min = 1)]
    public int SoftmaxBatch { get; init; }

    [Setting("Q4 Adam learning rate", Min = 0)]
    public double SoftmaxLr { get; init; }

    [Setting("Q4 learning-rate decay per epoch", Min = 0)]
    public double SoftmaxLrDecay { get; init; }

    [Setting("Q4 L2 strengths searched for softmax regression", Min = 0)]
    public double[] SoftmaxRegs { get; init; } = [];

    [Setting("Q4 hidden widths searched for the two-layer net", Min = 1)]
    public int[] SoftmaxHidden { get; init; } = [];

    // ---- Q5: the three-layer CNN ----

    [Setting("Q5 training images of each search run (first n of the training images); the winner is retrained on all", Min = 1)]
    public int CnnSearchImages { get; init; }

    [Setting("Q5 epochs of each search run", Min = 1)]
    public int CnnSearchEpochs { get; init; }

    [Setting("Q5 minibatch size", Min = 1)]
    public int CnnBatch { get; init; }

    [Setting("Q5.3 epochs of the final CNN", Min = 1)]
    public int CnnEpochs { get; init; }

    [Setting("Q5.3 Adam learning rate", Min = 0)]
    public double CnnLr { get; init; }

    [Setting("Q5.3 learning-rate decay per epoch", Min = 0)]
    public double CnnLrDecay { get; init; }

    [Setting("Q5.3 number of conv filters", Min = 1)]
    public int CnnFilters { get; init; }

    [Setting("Q5.3 conv filter sizes searched", Min = 1)]
    public int[] CnnFilterSizes { get; init; } = [];

    [Setting("Q5.3 fully connected hidden widths searched", Min = 1)]
    public int[] CnnHidden { get; init; } = [];

    [Setting("Q5.4 epochs of the final CNN with dropout and batch norm", Min = 1)]
    public int BnEpochs { get; init; }

    [Setting("Q5.4 Adam learning rate", Min = 0)]
    public double BnLr { get; init; }

    [Setting("Q5.4 learning-rate decay per epoch", Min = 0)]
    public double BnLrDecay { get; init; }

    [Setting("Q5.4 numbers of conv filters searched (the filter size is Q5.3's choice)", Min = 1)]
    public int[] BnFilters { get; init; } = [];

    [Setting("Q5.4 fully connected hidden widths searched", Min = 1)]
    public int[] BnHidden { get; init; } = [];

    [Setting("Q5.4 dropout rates (drop probability) searched", Min = 0, Max = 0.95)]
    public double[] BnDropouts { get; init; } = [];

    /// <summary>Small sizes: every code path in well under a minute.</summary>
    public static SolverLabSettings Quick { get; } = new()
    {
        BinaryEpochs = 5, BinaryBatch = 50, BinaryLr = 1e-3, BinaryRegs = [0, 1e-2], BinaryHidden = [16, 64], BinaryHiddenReg = 1e-3,
        TrainImages = 2000, ValImages = 500, TestImages = 500,
        SoftmaxEpochs = 2, SoftmaxBatch = 100, SoftmaxLr = 1e-3, SoftmaxLrDecay = 0.9, SoftmaxRegs = [0, 1e-3], SoftmaxHidden = [32, 64],
        CnnSearchImages = 1000, CnnSearchEpochs = 1, CnnBatch = 50,
        CnnEpochs = 2, CnnLr = 1e-3, CnnLrDecay = 0.9, CnnFilters = 8, CnnFilterSizes = [3, 5], CnnHidden = [32],
        BnEpochs = 2, BnLr = 2e-3, BnLrDecay = 0.9, BnFilters = [8], BnHidden = [32], BnDropouts = [0.25, 0.5],
    };

    /// <summary>The sizes whose results the lab reports (meets the bars within about half an hour on 2 cores).</summary>
    public static SolverLabSettings Full { get; } = new()
    {
        BinaryEpochs = 40, BinaryBatch = 50, BinaryLr = 1e-3, BinaryRegs = [0, 1e-3, 1e-2, 1e-1], BinaryHidden = [8, 32, 128, 512], BinaryHiddenReg = 1e-3,
        TrainImages = null, ValImages = null, TestImages = null,
        SoftmaxEpochs = 6, SoftmaxBatch = 200, SoftmaxLr = 2e-3, SoftmaxLrDecay = 0.8, SoftmaxRegs = [0, 1e-4, 1e-3], SoftmaxHidden = [100, 300, 1000],
        CnnSearchImages = 10_000, CnnSearchEpochs = 2, CnnBatch = 100,
        CnnEpochs = 6, CnnLr = 1e-3, CnnLrDecay = 0.7, CnnFilters = 32, CnnFilterSizes = [3, 5, 7], CnnHidden = [100, 300],
        BnEpochs = 8, BnLr = 2e-3, BnLrDecay = 0.7, BnFilters = [16, 32], BnHidden = [256], BnDropouts = [0.25, 0.5],
    };
}
