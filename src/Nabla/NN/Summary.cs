using System.Globalization;
using System.Text;

namespace Nabla.NN;

/// <summary>One row of a model summary: a leaf layer, its output shape for the example input, its parameter count.</summary>
public sealed record SummaryRow(string Name, string Type, int[] OutputShape, long Parameters);

/// <summary>
/// A torchsummary-style report: every leaf layer's output shape (batch shown as −1) and parameter count, plus
/// totals, computed by running one example batch through the model with forward hooks (eval mode, no grad).
/// </summary>
public sealed class Summary
{
    public IReadOnlyList<SummaryRow> Rows { get; }
    public IReadOnlyList<(string Name, int[] Shape, long Count)> ParameterTensors { get; }
    public long TotalParameters { get; }
    public long TrainableParameters { get; }

    private Summary(List<SummaryRow> rows, Module model)
    {
        Rows = rows;
        ParameterTensors = model.NamedParameters().Select(p => (p.Name, p.Tensor.Shape.ToArray(), (long)p.Tensor.Numel)).ToList();
        TotalParameters = model.ParameterCount();
        TrainableParameters = model.ParameterCount(trainableOnly: true);
    }

    /// <summary>Runs a zero batch of shape [1, ..inputShape] through <paramref name="model"/>.</summary>
    public static Summary Of(Module model, int[] inputShape, DType? dtype = null)
    {
        var rows = new List<SummaryRow>();
        var handles = new List<IDisposable>();
        var counters = new Dictionary<string, int>();
        foreach (var (name, m) in model.NamedModules())
        {
            if (m.Children.Count > 0) continue;
            string type = m.GetType().Name;
            long count = m.ParameterCount();
            handles.Add(m.RegisterForwardHook((_, _, y) =>
            {
                counters[type] = counters.GetValueOrDefault(type) + 1;
                var shape = y.Shape.ToArray();
                if (shape.Length > 0) shape[0] = -1;
                rows.Add(new SummaryRow(name.Length > 0 ? name : type, $"{type}-{counters[type]}", shape, count));
            }));
        }
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            model.Invoke(Tensor.Zeros([1, .. inputShape], dtype));
        }
        finally
        {
            handles.ForEach(h => h.Dispose());
            model.Train(wasTraining);
        }
        return new Summary(rows, model);
    }

    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string line = new('-', 72), dline = new('=', 72);
        sb.AppendLine(line).AppendLine($"{"Layer (type)",-34}{"Output Shape",-24}{"Param #",14}").AppendLine(dline);
        foreach (var r in Rows)
            sb.AppendLine($"{r.Type,-34}{ShapeUtil.Format(r.OutputShape),-24}{r.Parameters.ToString("N0", inv),14}");
        sb.AppendLine(dline)
          .AppendLine($"Total params: {TotalParameters.ToString("N0", inv)}")
          .AppendLine($"Trainable params: {TrainableParameters.ToString("N0", inv)}")
          .AppendLine($"Non-trainable params: {(TotalParameters - TrainableParameters).ToString("N0", inv)}")
          .AppendLine(line);
        return sb.ToString();
    }

    /// <summary>Every parameter tensor with its shape and element count, and the total.</summary>
    public string ParameterTable()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"{"Parameter",-34}{"Shape",-24}{"Count",14}");
        foreach (var (n, s, c) in ParameterTensors) sb.AppendLine($"{n,-34}{ShapeUtil.Format(s),-24}{c.ToString("N0", inv),14}");
        sb.AppendLine($"{"Total",-58}{TotalParameters.ToString("N0", inv),14}");
        return sb.ToString();
    }
}
