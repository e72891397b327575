namespace Nabla;

/// <summary>Base type of every error Nabla raises on bad input.</summary>
public class NablaException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Shapes that an op cannot combine; the message names the op and every shape involved.</summary>
public sealed class ShapeMismatchException(string message) : NablaException(message)
{
    /// <summary>"op: problem (shapes [a], [b], ...)".</summary>
    /// <param name="op">The op that refused the shapes.</param>
    /// <param name="problem">What is wrong, in words.</param>
    /// <param name="shapes">Every shape involved.</param>
    public static ShapeMismatchException For(string op, string problem, params ReadOnlySpan<int[]> shapes)
    {
        var parts = new string[shapes.Length];
        for (int i = 0; i < shapes.Length; i++) parts[i] = ShapeUtil.Format(shapes[i]);
        return new ShapeMismatchException($"{op}: {problem} (shapes {string.Join(", ", parts)})");
    }
}

/// <summary>A dtype an op does not accept, or two operands whose dtypes differ.</summary>
public sealed class DTypeMismatchException(string message) : NablaException(message)
{
    /// <summary>Two operands of different dtypes; the message suggests <c>.To(DType)</c>.</summary>
    /// <param name="op">The op.</param>
    /// <param name="a">First operand's dtype.</param>
    /// <param name="b">Second operand's dtype.</param>
    public static DTypeMismatchException For(string op, DType a, DType b) =>
        new($"{op}: dtypes differ ({a.Name()} and {b.Name()}); convert one with .To(DType)");

    /// <summary>A dtype the op does not accept (e.g. int32 in arithmetic).</summary>
    /// <param name="op">The op.</param>
    /// <param name="dtype">The refused dtype.</param>
    public static DTypeMismatchException Unsupported(string op, DType dtype) =>
        new($"{op}: dtype {dtype.Name()} is not supported by this op");
}

/// <summary>Errors of the autograd engine (backward on a tensor that does not require grad, etc.).</summary>
public sealed class AutogradException(string message) : NablaException(message);
