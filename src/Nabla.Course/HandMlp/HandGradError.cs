namespace Nabla.Course;

/// <summary>How far one parameter tensor's gradient is from a reference over <see cref="Compared"/> entries:
/// <see cref="MaxAbsError"/> = max_i |g_i − r_i| and <see cref="MaxRelError"/> = max_i |g_i − r_i| / max_i |r_i|
/// (relative to the tensor's largest reference entry: entry-wise ratios mean nothing where a gradient is 0 or tiny,
/// as for a dead ReLU unit).</summary>
public sealed record HandGradError(string Name, int Compared, double MaxAbsError, double MaxRelError, double MaxReference);
