
namespace Nabla;

/// <summary>
/// A tensor was read after its storage went back to the pool: an intermediate of a graph that
/// <c>Backward(freeIntermediates: true)</c> freed, or a gradient the engine had consumed. The message names the op
/// that produced it; keep such a tensor with <c>Clone()</c> before the backward pass, or turn recycling off.
/// </summary>
public sealed class FreedTensorException(string message) : NablaException(message);
