
namespace Nabla;

/// <summary>
/// L2 penalty on a list of parameters: P = (λ/2)·Σ_k Σ_i w_k,i² (a 0-d tensor). ∂P/∂w = λ·w, so adding P to the
/// loss equals SGD weight decay λ.
/// </summary>
internal sealed class L2PenaltyOp : Node
{
    private Tensor[] _parameters = [];
    private double _lambda;
    private protected override Tensor?[] Saved => _parameters;

    public static Tensor Forward(IEnumerable<Tensor> parameters, double lambda)
    {
        var ps = PenaltyCore.Check("L2Penalty", parameters, lambda);
        var y = Tensor.Scalar(0.5 * lambda * PenaltyCore.Sum(ps, l1: false), ps[0].DType);
        bool record = Node.WillRecord(ps);
        return new L2PenaltyOp { _parameters = record ? ps.Select(p => p.Detach()).ToArray() : [], _lambda = lambda }.Record(y, ps);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        double g = gradOutput.Item();
        var r = new Tensor?[_parameters.Length];
        for (int k = 0; k < r.Length; k++)
            if (NeedsGrad(k)) r[k] = _parameters[k] * (g * _lambda);
        return r;
    }
}

public static partial class TensorOps
{
    extension(Tensor)
    {
        /// <summary>(λ/2)·Σw² over all <paramref name="parameters"/> (a 0-d tensor to add to the loss); gradient λ·w.</summary>
        public static Tensor L2Penalty(IEnumerable<Tensor> parameters, double lambda) => L2PenaltyOp.Forward(parameters, lambda);
    }
}
