using Nabla.Optim;
using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>Workbook Q10b/c: per-instance SGD and AdaGrad (η = 0.1) on the linear model ŷ = xᵀw with L = (y − ŷ)², the
/// instances in order. The library's AdaGrad is s ← s + g², w ← w − η·g/(√s + ε) (ε outside the root, PyTorch's form).</summary>
public static class WorkbookOptimizers
{
    public static readonly double[,] X = { { 1, 1, 2 }, { 1, 1, 1 }, { 1, 1, 2 } };
    public static readonly double[] Y = [11, 8, 10];
    public static readonly double[] W0 = [1, 1, 1];
    public const double Eta = 0.1;

    /// <summary>Errors e_i = y_i − x_iᵀw at the end of each epoch and the total loss Σe_i², for SGD and AdaGrad.</summary>
    public static Exercise Q10(int epochs, double adaGradEps)
    {
        var answers = new List<Answer>();
        var h = new Hand();
        answers.Add(Worked.Of("total loss at w⁽⁰⁾", WorkbookBasics.LibraryTotalLoss(X, Y, W0),
            h.Let("Σ(y − ŷ)² at w = (1, 1, 1)", "(11 − 4)² + (8 − 3)² + (10 − 4)²", WorkbookBasics.TotalLoss(X, Y, W0))));
        foreach (var (ada, inside) in new[] { (false, false), (true, false), (true, true) })
        {
            string tag = !ada ? "b) SGD" : inside ? "c) AdaGrad, ε inside √" : "c) AdaGrad";
            var w = Worked.T(W0).RequiresGrad_();
            Optimizer opt = ada ? new AdaGrad([w], new AdaGradOptions(LearningRate: Eta, Eps: adaGradEps, EpsPlacement: inside ? EpsPlacement.InsideSqrt : EpsPlacement.OutsideSqrt))
                : new Sgd([w], new SgdOptions(LearningRate: Eta));
            var handW = W0;
            var sum = ada ? new double[3] : null;
            for (int epoch = 1; epoch <= epochs; epoch++)
            {
                var lib = WorkbookBasics.LibraryPass(X, Y, w, opt)[^1];
                var hand = WorkbookBasics.HandPass(epoch <= 2 && !inside ? h : new Hand(), $"{tag}, epoch {epoch}", X, Y, handW, Eta, sum, adaGradEps, inside);
                // steps printed for the seed's 2 epochs (and the default ε placement) only
                handW = hand[^1];
                var libErr = (Worked.T(Y) - Worked.T(X).MatMul(w.Detach().Reshape(3, 1)).Reshape(3)).ToDoubleArray();   // y − Xw
                var handErr = Errors(handW);
                answers.Add(Worked.Of($"{tag}, epoch {epoch}: w", lib, handW, [3]));
                answers.Add(Worked.Of($"{tag}, epoch {epoch}: errors y − ŷ", libErr, handErr, [3]));
                answers.Add(Worked.Of($"{tag}, epoch {epoch}: total loss", WorkbookBasics.LibraryTotalLoss(X, Y, lib), WorkbookBasics.TotalLoss(X, Y, handW)));
            }
        }
        return new Exercise("Workbook Q10b/c", answers, h.Steps);
    }

    private static double[] Errors(double[] w) => Enumerable.Range(0, Y.Length).Select(i => Y[i] - Dot([X[i, 0], X[i, 1], X[i, 2]], w).Value).ToArray();
}
