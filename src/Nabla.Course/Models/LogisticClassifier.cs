
namespace Nabla.Course.Models;

/// <summary>
/// Logistic regression (EECS 498 HW1 Q2, <c>logistic.py</c>), optionally with one ReLU hidden layer: scores as in
/// <see cref="BinaryClassifier"/>, P(y = 1 | x) = σ(s), loss = <see cref="Layers.LogisticLoss"/> + ½·reg·Σ‖W‖².
/// </summary>
public sealed class LogisticClassifier(int inputDim = 100, int? hiddenDim = null, double weightScale = 1e-3, double reg = 0.0,
    DType dtype = DType.Float64, ulong seed = 0, Generator? generator = null)
    : BinaryClassifier(inputDim, hiddenDim, weightScale, reg, dtype, generator ?? new Generator(seed))
{
    protected override (double Loss, Tensor Dscores) OutputLoss(Tensor scores, Tensor y) => Layers.LogisticLoss(scores, y);
}
