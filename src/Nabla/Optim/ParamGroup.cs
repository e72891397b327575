
namespace Nabla.Optim;

/// <summary>A set of parameters sharing a learning rate and weight decay (PyTorch's param_groups). Null values are
/// filled from the optimizer's options; schedulers change <see cref="LearningRate"/>.</summary>
public sealed class ParamGroup(IEnumerable<Tensor> parameters, double? learningRate = null, double? weightDecay = null)
{
    public IReadOnlyList<Tensor> Params { get; } = parameters.ToArray();
    public double LearningRate { get; set; } = learningRate ?? double.NaN;
    public double WeightDecay { get; set; } = weightDecay ?? double.NaN;

    /// <summary>The learning rate the group started with (schedules scale from it).</summary>
    public double InitialLearningRate { get; internal set; } = learningRate ?? double.NaN;
}
