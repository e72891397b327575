
namespace Nabla;

/// <summary>
/// L1 penalty on a list of parameters: P = λ·Σ_k Σ_i |w_k,i| (a 0-d tensor). ∂P/∂w = λ·sign(w), using the
/// subgradient 0 at w = 0.
/// </summary>
internal sealed class L1PenaltyOp : Node
{
    private Tensor[] _parameters = [];
    private double _lambda;
    private protected override Tensor?[] Saved => _parameters;

    public static Tensor Forward(IEnumerable<Tensor> parameters, double lambda)
    {
        var ps = PenaltyCore.Check("L1Penalty", parameters, lambda);
        var y = Tensor.Scalar(lambda * PenaltyCore.Sum(ps, l1: true), ps[0].DType);
        bool record = Node.WillRecord(ps);
        return new L1PenaltyOp { _parameters = record ? ps.Select(p => p.Detach()).ToArray() : [], _lambda = lambda }.Record(y, ps);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        double g = gradOutput.Item();
        var r = new Tensor?[_parameters.Length];
        for (int k = 0; k < r.Length; k++)
            if (NeedsGrad(k)) r[k] = PenaltyCore.ScaledSign(_parameters[k], g * _lambda);
        return r;
    }
}

public static partial class TensorOps
{
    extension(Tensor)
    {
        /// <summary>λ·Σ|w| over all <paramref name="parameters"/> (a 0-d tensor to add to the loss); gradient λ·sign(w).</summary>
        public static Tensor L1Penalty(IEnumerable<Tensor> parameters, double lambda) => L1PenaltyOp.Forward(parameters, lambda);
    }
}
