using Nabla.Course;

namespace Nabla.Labs;

/// <summary>Everything the report needs.</summary>
public sealed record BackpropByHandResult(int TrainCount, int ValidCount, int TestCount, IReadOnlyList<BackpropGradRow> GradCheck,
    int CheckRows, double CheckEps, IReadOnlyList<BackpropRun> Runs);
