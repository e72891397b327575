using Xunit.Sdk;

namespace Nabla.Tests.OpDb;

/// <summary>
/// The table's generic checks catch broken ops: each one is run on a deliberately wrong row and must fail.
/// </summary>
public class OpDbSelfTests
{
    /// <summary>y = x² with a backward of 1.9·x·g instead of 2·x·g.</summary>
    private sealed class WrongSquareOp : Node
    {
        private Tensor _x = null!;

        public static Tensor Forward(Tensor x)
        {
            Tensor y;
            using (GradMode.NoGrad()) y = x * x;
            return new WrongSquareOp { _x = x.Detach() }.Record(y, x);
        }

        internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _x * 1.9];
    }

    private static readonly Sample[] Samples = [new("[3, 4]", Arg.F(3, 4)), new("transposed [3, 4]", Arg.F(3, 4).T)];

    private static OpInfo Square(Func<Tensor, Tensor> call, Func<double, double>? reference = null) =>
        new("square under test", ["Square"], Samples, x => call(x[0]), x => x[0].Map(reference ?? (v => v * v)));

    [Fact]
    public void The_gradient_check_catches_a_wrong_backward()
    {
        var wrong = Square(WrongSquareOp.Forward);
        new OpDbTests().Values_match_the_reference(wrong, Samples[0]);   // the forward is right
        Assert.Throws<TrueException>(() => new OpDbTests().Gradients_match_central_differences(wrong, Samples[0]));
        new OpDbTests().Gradients_match_central_differences(Square(x => x.Square()), Samples[0]);
    }

    [Fact]
    public void The_value_check_catches_a_wrong_forward()
    {
        var wrong = Square(x => x.Square(), v => v * v + 1e-6);
        Assert.Throws<TrueException>(() => new OpDbTests().Values_match_the_reference(wrong, Samples[1]));
    }

    [Fact]
    public void The_no_grad_check_catches_an_op_that_records_anyway()
    {
        // Recording by hand (Node.Record checks the grad mode, so this op bypasses it as a buggy op could).
        var wrong = Square(x => { var y = x.Square(); if (!y.RequiresGrad) y.RequiresGrad = true; return y; });
        Assert.Throws<FalseException>(() => new OpDbTests().No_grad_records_nothing(wrong, Samples[0]));
    }

    [Fact]
    public void The_layout_check_catches_an_op_that_ignores_strides()
    {
        // Reads the storage in order, as if every input were contiguous (float64: the theory runs in float64).
        var wrong = Square(x => Tensor.FromArray(x.Storage<double>().AsSpan(x.Offset, x.Numel).ToArray(), x.Shape.ToArray()).Square() + x * 0.0);
        Assert.Throws<TrueException>(() => new OpDbTests().Non_contiguous_inputs_give_what_their_contiguous_copies_give(wrong, Samples[1]));
    }
}
