
namespace Nabla.Course;

// The "sandwich" layers of cs231n's layer_utils.py: common chains as one forward/backward pair. Each backward is
// the chain rule applied to the parts' backwards in reverse order.
public static partial class Layers
{
    public sealed record AffineReluCache(AffineCache Affine, ReluCache Relu);

    public sealed record AffineBatchNormReluCache(AffineCache Affine, BatchNormCache BatchNorm, ReluCache Relu);

    public sealed record ConvReluCache(ConvCache Conv, ReluCache Relu);

    public sealed record ConvReluPoolCache(ConvCache Conv, ReluCache Relu, MaxPoolCache Pool);

    /// <summary>out = ReLU(X̃·W + b).</summary>
    public static (Tensor Out, AffineReluCache Cache) AffineReluForward(Tensor x, Tensor w, Tensor b)
    {
        var (a, fc) = AffineForward(x, w, b);
        var (out_, rc) = ReluForward(a);
        return (out_, new AffineReluCache(fc, rc));
    }

    /// <summary>∂L/∂a = ∂L/∂out ⊙ 1[a &gt; 0], then <see cref="AffineBackward"/> of ∂L/∂a.</summary>
    public static (Tensor Dx, Tensor Dw, Tensor Db) AffineReluBackward(Tensor dout, AffineReluCache cache) =>
        AffineBackward(ReluBackward(dout, cache.Relu), cache.Affine);

    /// <summary>out = ReLU(BatchNorm(X̃·W + b; γ, β)).</summary>
    public static (Tensor Out, AffineBatchNormReluCache Cache) AffineBatchNormReluForward(Tensor x, Tensor w, Tensor b,
        Tensor gamma, Tensor beta, BatchNormState state, bool train)
    {
        var (a, fc) = AffineForward(x, w, b);
        var (nrm, bc) = BatchNormForward(a, gamma, beta, state, train);
        var (out_, rc) = ReluForward(nrm);
        return (out_, new AffineBatchNormReluCache(fc, bc, rc));
    }

    /// <summary>ReLU backward, then <see cref="BatchNormBackward"/>, then <see cref="AffineBackward"/>.</summary>
    public static (Tensor Dx, Tensor Dw, Tensor Db, Tensor Dgamma, Tensor Dbeta) AffineBatchNormReluBackward(Tensor dout, AffineBatchNormReluCache cache)
    {
        var (da, dgamma, dbeta) = BatchNormBackward(ReluBackward(dout, cache.Relu), cache.BatchNorm);
        var (dx, dw, db) = AffineBackward(da, cache.Affine);
        return (dx, dw, db, dgamma, dbeta);
    }

    /// <summary>out = ReLU(conv(x, w) + b).</summary>
    public static (Tensor Out, ConvReluCache Cache) ConvReluForward(Tensor x, Tensor w, Tensor b, IntPair? stride = null, IntPair? pad = null)
    {
        var (a, cc) = ConvForward(x, w, b, stride, pad);
        var (out_, rc) = ReluForward(a);
        return (out_, new ConvReluCache(cc, rc));
    }

    /// <summary>ReLU backward, then <see cref="ConvBackward"/>.</summary>
    public static (Tensor Dx, Tensor Dw, Tensor Db) ConvReluBackward(Tensor dout, ConvReluCache cache) =>
        ConvBackward(ReluBackward(dout, cache.Relu), cache.Conv);

    /// <summary>out = MaxPool(ReLU(conv(x, w) + b)) (cs231n's <c>conv_relu_pool_forward</c>).</summary>
    public static (Tensor Out, ConvReluPoolCache Cache) ConvReluPoolForward(Tensor x, Tensor w, Tensor b, IntPair pool,
        IntPair? poolStride = null, IntPair? stride = null, IntPair? pad = null)
    {
        var (a, cc) = ConvForward(x, w, b, stride, pad);
        var (r, rc) = ReluForward(a);
        var (out_, pc) = MaxPoolForward(r, pool, poolStride);
        return (out_, new ConvReluPoolCache(cc, rc, pc));
    }

    /// <summary><see cref="MaxPoolBackward"/>, ReLU backward, then <see cref="ConvBackward"/>.</summary>
    public static (Tensor Dx, Tensor Dw, Tensor Db) ConvReluPoolBackward(Tensor dout, ConvReluPoolCache cache) =>
        ConvBackward(ReluBackward(MaxPoolBackward(dout, cache.Pool), cache.Relu), cache.Conv);
}
