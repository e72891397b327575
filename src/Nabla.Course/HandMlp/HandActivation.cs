namespace Nabla.Course;

/// <summary>
/// The hidden-layer non-linearities of the homework MLPs, each with the derivative their explicit backward pass uses
/// (written out in <c>HandMath.MultiplyByDerivative</c>):
/// sigmoid σ(z) = 1/(1 + e^−z), σ′ = σ(1 − σ); tanh, tanh′ = 1 − tanh²; ReLU max(z, 0), ReLU′ = 1[z &gt; 0]
/// (0 at z = 0, as in the library's <c>ReluOp</c>).
/// </summary>
public enum HandActivation
{
    Sigmoid,
    Tanh,
    Relu,
}
