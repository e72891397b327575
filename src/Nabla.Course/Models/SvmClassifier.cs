
namespace Nabla.Course.Models;

/// <summary>
/// Binary SVM (EECS 498 HW1 Q3, <c>svm.py</c>), optionally with one ReLU hidden layer: scores as in
/// <see cref="BinaryClassifier"/>, loss = <see cref="Layers.BinarySvmLoss"/> (hinge, t = 2y − 1) + ½·reg·Σ‖W‖².
/// </summary>
public sealed class SvmClassifier(int inputDim = 100, int? hiddenDim = null, double weightScale = 1e-3, double reg = 0.0,
    DType dtype = DType.Float64, ulong seed = 0, Generator? generator = null)
    : BinaryClassifier(inputDim, hiddenDim, weightScale, reg, dtype, generator ?? new Generator(seed))
{
    protected override (double Loss, Tensor Dscores) OutputLoss(Tensor scores, Tensor y) => Layers.BinarySvmLoss(scores, y);
}
