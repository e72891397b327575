namespace Nabla.NN;

/// <summary>An element-wise activation module that can write its forward's values over its input: what
/// <see cref="Sequential"/>'s no-grad forward does to an activation it owns (a fresh output nobody else holds), so an
/// inference pass does not allocate one tensor per activation layer. Not recorded; same operator, same values.</summary>
internal interface IInPlaceActivation
{
    /// <summary>input = Forward(input), for a contiguous input without gradients.</summary>
    void ApplyInPlace(Tensor input);
}
