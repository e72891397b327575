using System.Text.Json.Nodes;

namespace Nabla.Bench;

/// <summary>One named benchmark, as defined in ../shared/bench/pytorch_reference.py.</summary>
public sealed record Workload(string Name, string Description, Func<BenchOptions, JsonObject> Run);

/// <summary>The registry of workloads that <c>nabla bench</c> runs (names match the PyTorch reference).</summary>
public static partial class Workloads
{
    private static readonly List<Workload> _all = [];

    public static IReadOnlyList<Workload> All
    {
        get
        {
            if (_all.Count == 0) Register(_all);
            return _all;
        }
    }

    /// <summary>Each workload family adds itself here (one partial file per family).</summary>
    static partial void RegisterSgemmParts(List<Workload> list);
    static partial void RegisterConv(List<Workload> list);
    static partial void RegisterTraining(List<Workload> list);
    static partial void RegisterRecurrent(List<Workload> list);
    static partial void RegisterVision(List<Workload> list);
    static partial void RegisterProfile(List<Workload> list);
    static partial void RegisterMemory(List<Workload> list);
    static partial void RegisterMnistFast(List<Workload> list);
    static partial void RegisterMnistFastConv(List<Workload> list);
    static partial void RegisterConvShapes(List<Workload> list);

    private static void Register(List<Workload> list)
    {
        RegisterSgemm(list);
        RegisterSgemmParts(list);
        RegisterConv(list);
        RegisterTraining(list);
        RegisterRecurrent(list);
        RegisterVision(list);
        RegisterProfile(list);
        RegisterMemory(list);
        RegisterMnistFast(list);
        RegisterMnistFastConv(list);
        RegisterConvShapes(list);
    }

    public static Workload? Find(string name) => All.FirstOrDefault(w => w.Name == name);
}
