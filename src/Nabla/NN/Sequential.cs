
namespace Nabla.NN;

/// <summary>Modules applied in order; children are named "0", "1", ... like <c>torch.nn.Sequential</c>.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>A container running <paramref name="layers"/> in the given order.</summary>
    public Sequential(params IEnumerable<Module> layers)
    {
        foreach (var l in layers) Add(l);
    }

    /// <summary>Appends <paramref name="layer"/> as child "Count" and returns this (PyTorch's <c>append</c>).</summary>
    public Sequential Add(Module layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>The layer at <paramref name="index"/> (0-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> outside [0, Count)</exception>
    public Module this[int index] => _layers[index];

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Whether <paramref name="layer"/> is one of the built-in layers that keep no reference to their input or
    /// output once they return (without gradients), and no forward hook sees what it makes.</summary>
    private static bool KeepsNothing(Module layer) =>
        !layer.HasForwardHooks && layer is Linear or IInPlaceActivation or Dropout or Conv2d or BatchNormBase or MaxPool2d or AvgPool2d or Flatten;

    /// <summary>
    /// The layers in order. The tensor between two layers is private to this loop ("owned") when the layer that made
    /// it keeps no reference to its input or output, no forward hook saw it, and it needs no gradient (so no graph node
    /// holds it: always so without gradients; with them, between the layers of a frozen prefix such as a fine-tuned
    /// backbone or cifar10-fast's whitening conv) — <see cref="Linear"/>, the element-wise activations ReLU, GELU,
    /// Tanh, Sigmoid, LeakyReLU and ELU, <see cref="Dropout"/>, <see cref="Conv2d"/>, BatchNorm, <see cref="MaxPool2d"/>,
    /// <see cref="AvgPool2d"/>, <see cref="Flatten"/>. Flatten's output is a view: private only if what it views is.
    /// An activation after an owned tensor works in place (<see cref="IInPlaceActivation"/>). Without gradients also:
    /// an eval-mode BatchNorm normalises in place (and a ReLU after it in the same pass: Conv2d → BatchNorm2d → ReLU
    /// writes one activation, not three); a Linear followed by a ReLU (neither hooked) runs as one GEMM whose epilogue
    /// adds the bias and rectifies each strip of the output while it is in cache; and once the next such layer has
    /// read an owned tensor its storage goes back to the pool (closing its lease, so a stale reference would throw,
    /// never read reused data): a network's inference rents and returns the same buffers batch after batch instead of
    /// allocating MB-sized activations for the GC, as PyTorch's reference counting frees them. (With gradients the
    /// next layer may save its input for backward, so nothing is given back.) Fused or in place, the values are those
    /// of the layers apart, bit for bit. Any other layer (it may keep its input, or return a view of it) starts
    /// afresh. The caller's input and the returned output are never touched.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        bool noGrad = !GradMode.IsEnabled;
        var x = input;
        bool owned = false;
        for (int i = 0; i < _layers.Count; i++)
        {
            var l = _layers[i];
            bool plain = !l.HasForwardHooks;
            if (owned && plain && l is IInPlaceActivation activation && x.IsContiguous)
            {
                activation.ApplyInPlace(x);
                continue;
            }
            if (noGrad && owned && plain && l is BatchNormBase bn && !bn.Training && x.IsContiguous)
            {
                // normalised where it lies, and a ReLU after it (not hooked) in the same pass
                bool rectify = PlainReluAt(i + 1);
                bn.EvalInPlace(x, rectify);
                if (rectify) i++;
                continue;
            }
            Tensor y;
            if (noGrad && plain && l is Linear lin && x.Rank == 2 && PlainReluAt(i + 1))
            {
                y = LinearOp.ForwardRelu(x, lin.Weight, lin.Bias);   // the ReLU runs in the GEMM's epilogue
                i++;
            }
            else y = l.Invoke(x);
            bool keepsNothing = KeepsNothing(l) && !y.RequiresGrad;
            if (keepsNothing && ReferenceEquals(y, x)) continue;   // Dropout in eval mode: x passes through as it was
            bool fresh = !ReferenceEquals(x.StorageKey, y.StorageKey);
            if (noGrad && owned && keepsNothing && fresh)
                StoragePool.Return(x.StorageKey, "an activation between two layers of a Sequential, recycled by its no-grad forward once the next layer had read it");
            // a view (Flatten) is as private as what it views: a view of the caller's input is not ours to overwrite or give back
            owned = keepsNothing && (owned || fresh);
            x = y;
        }
        return x;
    }

    /// <summary>Whether layer <paramref name="index"/> exists and is a ReLU without forward hooks (fusable into the layer before).</summary>
    private bool PlainReluAt(int index) => index < _layers.Count && _layers[index] is ReLU relu && !relu.HasForwardHooks;
}
