
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

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var l in _layers) x = l.Invoke(x);
        return x;
    }
}
