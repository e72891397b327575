
namespace Nabla;

/// <summary>y = x with another shape of the same element count (a view when x is contiguous, else a copy).
/// ∂L/∂x = reshape(∂L/∂y, shape(x)).</summary>
public sealed class ReshapeOp : Node
{
    private int[] _inputShape = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> shape)
    {
        var s = ResolveShape(x, shape);
        var c = x.ContiguousRaw();
        var y = c.AsStrided(s, ShapeUtil.ContiguousStrides(s), c.Offset);
        return new ReshapeOp { _inputShape = x.Shape.ToArray() }.Record(y, x);
    }

    /// <summary>Fills in one −1 and checks that the element count is preserved.</summary>
    internal static int[] ResolveShape(Tensor x, ReadOnlySpan<int> shape)
    {
        var s = shape.ToArray();
        int infer = -1, known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw ShapeMismatchException.For("Reshape", "only one dim can be -1", x.Shape.ToArray(), s);
                infer = i;
            }
            else if (s[i] < 0) throw ShapeMismatchException.For("Reshape", $"invalid size {s[i]}", x.Shape.ToArray(), s);
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || x.Numel % known != 0)
                throw ShapeMismatchException.For("Reshape", $"cannot infer the -1 dim for {x.Numel} elements", x.Shape.ToArray(), s);
            s[infer] = x.Numel / known;
        }
        if (ShapeUtil.Numel(s) != x.Numel)
            throw ShapeMismatchException.For("Reshape", $"{x.Numel} elements cannot take the new shape", x.Shape.ToArray(), s);
        return s;
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput.Reshape(_inputShape)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Same elements, new shape; one dim may be −1 (inferred).</summary>
        public Tensor Reshape(params int[] shape) => ReshapeOp.Forward(x, shape);

        /// <summary>Alias of <see cref="Reshape"/> (PyTorch's view).</summary>
        public Tensor View(params int[] shape) => ReshapeOp.Forward(x, shape);

        /// <summary>Merges dims startDim..endDim into one (default: everything after the batch dim).</summary>
        public Tensor Flatten(int startDim = 1, int endDim = -1)
        {
            if (x.Rank == 0) return x.Reshape(1);
            int s = ShapeUtil.WrapDim(startDim, x.Rank, "Flatten"), e = ShapeUtil.WrapDim(endDim, x.Rank, "Flatten");
            if (s > e) throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim}");
            var shape = new List<int>();
            for (int d = 0; d < s; d++) shape.Add(x.Size(d));
            int m = 1;
            for (int d = s; d <= e; d++) m *= x.Size(d);
            shape.Add(m);
            for (int d = e + 1; d < x.Rank; d++) shape.Add(x.Size(d));
            return x.Reshape(shape.ToArray());
        }
    }
}
