
namespace Nabla.Course;

/// <summary>
/// The <c>data</c> dictionary of the homework's <c>Solver</c>: training and validation inputs with their labels.
/// Shape: X [N, …] (any trailing feature shape the model accepts), y [N] of class indices 0..C−1 (int32, or whole
/// floating-point values), or 0/1 for a binary model.
/// </summary>
/// <param name="XTrain">Training inputs [N_train, …].</param>
/// <param name="YTrain">Training labels [N_train].</param>
/// <param name="XVal">Validation inputs [N_val, …].</param>
/// <param name="YVal">Validation labels [N_val].</param>
public sealed record SolverData(Tensor XTrain, Tensor YTrain, Tensor XVal, Tensor YVal)
{
    /// <summary>Checks that every tensor is present, that each X has as many rows as its y has labels (at least one),
    /// and that the labels are whole numbers ≥ 0; returns this.</summary>
    /// <exception cref="ArgumentException">A missing tensor, a length mismatch, an empty split, or a label that is
    /// not a class index; the message names the split and the problem.</exception>
    public SolverData Validate()
    {
        CheckPair("Solver data", "X_train", "y_train", XTrain, YTrain);
        CheckPair("Solver data", "X_val", "y_val", XVal, YVal);
        return this;
    }

    /// <summary>Checks one (X, y) pair: the shapes agree and y holds class indices (also used by
    /// <see cref="Solver.CheckAccuracy"/>).</summary>
    internal static void CheckPair(string where, string xName, string yName, Tensor? x, Tensor? y)
    {
        if (x is null || y is null)
            throw new ArgumentException($"{where}: {xName} and {yName} must both be given", x is null ? nameof(x) : nameof(y));
        if (x.Rank < 1)
            throw new ArgumentException($"{where}: {xName} must have a batch dimension, got shape {ShapeUtil.Format(x.Shape)}", nameof(x));
        if (y.Rank != 1)
            throw new ArgumentException($"{where}: {yName} must be a vector of labels [N], got shape {ShapeUtil.Format(y.Shape)}", nameof(y));
        if (x.Shape[0] != y.Shape[0])
            throw new ArgumentException($"{where}: {xName} has {x.Shape[0]} rows (shape {ShapeUtil.Format(x.Shape)}) but {yName} has {y.Shape[0]} labels", nameof(y));
        if (x.Shape[0] == 0)
            throw new ArgumentException($"{where}: {xName} is empty", nameof(x));
        var labels = y.ToDoubleArray();
        for (int i = 0; i < labels.Length; i++)
            if (!(labels[i] >= 0) || labels[i] != Math.Floor(labels[i]) || double.IsInfinity(labels[i]))
                throw new ArgumentException($"{where}: {yName}[{i}] = {labels[i]} is not a class index (a whole number >= 0, or 0/1 for a binary model)", nameof(y));
    }
}
