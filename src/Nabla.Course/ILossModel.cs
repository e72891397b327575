
namespace Nabla.Course;

/// <summary>
/// The model contract of the EECS 498 homework (its classifiers' <c>loss(X, y)</c>): parameters by name, class scores
/// for a batch, and a loss that returns the gradient of every parameter. The explicit-backprop models compute those
/// gradients layer by layer with no autograd; <c>ModuleLossModel</c> adapts an ordinary <c>Module</c> through autograd.
/// The <c>Solver</c> trains anything that implements it.
/// </summary>
public interface ILossModel
{
    /// <summary>Parameters by name ("W1", "b1", …). The Solver's update rules replace or update these in place.</summary>
    IDictionary<string, Tensor> Params { get; }

    /// <summary>Test-mode scores for <paramref name="x"/> (dropout off, batch norm on running statistics):
    /// [N, C] class scores, or [N] / [N, 1] for a binary classifier whose prediction is score &gt; 0 (labels 0/1).</summary>
    Tensor Scores(Tensor x);

    /// <summary>Training-mode forward and backward: the loss (data loss plus regularisation) and d loss / d p for
    /// every parameter p in <see cref="Params"/>, same keys and shapes.</summary>
    (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y);

    /// <summary>State that training updates in place but no gradient reaches — batch norm's running mean and
    /// variance. The <c>Solver</c> snapshots it together with the best parameters and puts it back with them, so the
    /// restored model normalises with the statistics of the epoch it was chosen at. None by default.</summary>
    IEnumerable<Tensor> State => [];
}
