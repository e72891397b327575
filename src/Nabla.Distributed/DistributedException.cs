
namespace Nabla.Distributed;

/// <summary>A failure of distributed training: MPI missing or failing, a peer rank gone, a collective timed out, or
/// the ranks disagreeing on what they hold.</summary>
public class DistributedException(string message, Exception? inner = null) : NablaException(message, inner);

/// <summary>A collective did not complete in time: some other rank has most likely died, raised or hung.</summary>
public sealed class DistributedTimeoutException(string message) : DistributedException(message);
