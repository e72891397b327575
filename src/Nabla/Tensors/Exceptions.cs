namespace Nabla;

/// <summary>Base type of every error Nabla raises on bad input.</summary>
public class NablaException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Shapes that an op cannot combine; the message names the op and every shape involved.</summary>
public sealed class ShapeMismatchException(string message) : NablaException(message)
{
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
    public static DTypeMismatchException For(string op, DType a, DType b) =>
        new($"{op}: dtypes differ ({a.Name()} and {b.Name()}); convert one with .To(DType)");

    public static DTypeMismatchException Unsupported(string op, DType dtype) =>
        new($"{op}: dtype {dtype.Name()} is not supported by this op");
}

/// <summary>Errors of the autograd engine (backward on a tensor that does not require grad, etc.).</summary>
public sealed class AutogradException(string message) : NablaException(message);
