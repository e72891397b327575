namespace Nabla.Course;

/// <summary>
/// The weight initialisations of IFT6135 Problem 1 (biases always start at zero):
/// <see cref="Zero"/> W = 0; <see cref="Normal"/> w_ij ~ N(0, 1) (the standard normal, also 24789's
/// <c>random_normal_weight_init</c>); <see cref="Glorot"/> w_ij ~ U(−d, d) with d = √(6/(h^{l−1} + h^l)).
/// </summary>
public enum HandMlpInit
{
    Zero,
    Normal,
    Glorot,
}
