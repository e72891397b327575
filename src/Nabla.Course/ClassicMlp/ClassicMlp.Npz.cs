using Nabla.IO;
using Nabla.NN;

namespace Nabla.Course;

// .npz files of a ClassicMlp: the state dict ("fc1.weight" [H1, D], "fc1.bias" [H1], ...) plus two int32 entries
// that describe the architecture, so FromFile can rebuild the model: "layer_sizes" [L+1] and "activation" [1]
// (index into ActivationNames: 0 sigmoid, 1 tanh, 2 relu). np.load(path)["fc1.weight"] reads the same arrays.
public sealed partial class ClassicMlp
{
    private const string SizesKey = "layer_sizes", ActivationKey = "activation";

    /// <summary>Writes the parameters and the architecture to an .npz file (atomically).</summary>
    public void Save(string path)
    {
        var arrays = StateDict();
        arrays[SizesKey] = Tensor.FromArray(_sizes, _sizes.Length);
        arrays[ActivationKey] = Tensor.FromArray([Array.IndexOf(ActivationNames, Activation)], 1);
        Npz.Save(path, arrays);
    }

    /// <summary>Loads parameters saved by <see cref="Save"/> into this model. Throws
    /// <see cref="StateDictMismatchException"/> naming the file when the layer sizes, the activation, a parameter
    /// name, shape or dtype differ; nothing is changed then.</summary>
    public void Load(string path)
    {
        var arrays = Npz.Load(path);
        var (sizes, activation) = Architecture(path, arrays);
        if (sizes is not null && !sizes.SequenceEqual(_sizes))
            throw new StateDictMismatchException($"ClassicMlp.Load: '{path}' holds layer sizes [{string.Join(", ", sizes)}] but this model has [{string.Join(", ", _sizes)}]");
        if (activation is not null && activation != Activation)
            throw new StateDictMismatchException($"ClassicMlp.Load: '{path}' holds a {activation} network but this model uses {Activation}");
        arrays.Remove(SizesKey);
        arrays.Remove(ActivationKey);
        try { LoadStateDict(arrays); }
        catch (StateDictMismatchException e) { throw new StateDictMismatchException($"ClassicMlp.Load: '{path}': {e.Message}"); }
    }

    /// <summary>A model rebuilt from a file written by <see cref="Save"/> (architecture and parameters).</summary>
    public static ClassicMlp FromFile(string path, DType? dtype = null)
    {
        var arrays = Npz.Load(path);
        var (sizes, activation) = Architecture(path, arrays);
        if (sizes is null || activation is null)
            throw new NpzFormatException(path, null, $"not a ClassicMlp file: the '{SizesKey}' and '{ActivationKey}' entries are missing");
        var model = new ClassicMlp(sizes, activation, dtype: dtype);
        model.Load(path);
        return model;
    }

    /// <summary>The architecture entries, when present; malformed ones are an <see cref="NpzFormatException"/>.</summary>
    private static (int[]? Sizes, string? Activation) Architecture(string path, Dictionary<string, Tensor> arrays)
    {
        int[]? sizes = null;
        string? activation = null;
        if (arrays.TryGetValue(SizesKey, out var s))
        {
            if (s.DType != DType.Int32 || s.Rank != 1 || s.Numel < 2)
                throw new NpzFormatException(path, SizesKey + ".npy", $"expected an int32 vector of at least two sizes, got {s.DType.Name()} {ShapeUtil.Format(s.Shape)}");
            sizes = s.ToArray<int>();
        }
        if (arrays.TryGetValue(ActivationKey, out var a))
        {
            int code = a.DType == DType.Int32 && a.Numel == 1 ? a.ToArray<int>()[0] : -1;
            if ((uint)code >= (uint)ActivationNames.Length)
                throw new NpzFormatException(path, ActivationKey + ".npy", $"expected one int32 in 0..{ActivationNames.Length - 1} ({string.Join(", ", ActivationNames)})");
            activation = ActivationNames[code];
        }
        return (sizes, activation);
    }
}
