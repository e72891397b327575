using Nabla.Course;

namespace Nabla.Labs;

/// <summary>One parameter tensor of the gradient check: explicit vs autograd (every entry), explicit and autograd vs
/// central finite differences (the sampled entries).</summary>
public sealed record BackpropGradRow(string Network, string Tensor, string Shape, HandGradError ExplicitVsAutograd,
    HandGradError ExplicitVsNumeric, HandGradError AutogradVsNumeric);
