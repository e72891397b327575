// QuickStart: tensors, autograd and a finite-difference gradient check in a few lines.
// Run: dotnet run --project samples/QuickStart -c Release
using Nabla;

// Tensors: created from arrays or by factories; float32 unless a dtype is given.
var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);   // [2, 3]
var b = Tensor.Ones(3, 2);                                          // [3, 2]
var c = a.MatMul(b);                                                // [2, 2]
Console.WriteLine($"a @ ones = {c}");
Console.WriteLine($"sum = {a.Sum().Item()}, mean = {a.Mean().Item()}");

// Autograd: mark leaves with RequiresGrad_, build a scalar, call Backward, read .Grad.
var x = Tensor.FromArray([1.0, 2.0, 3.0]).RequiresGrad_();          // float64
var y = (x * x).Sum();                                              // y = Σ x², dy/dx = 2x
y.Backward();
Console.WriteLine($"y = {y.Item()}, dy/dx = [{string.Join(", ", x.Grad!.ToDoubleArray())}]");

// GradCheck: compare the analytic gradients with central finite differences (float64).
Generator.ManualSeed(0);
var w = Tensor.Randn([3, 4], dtype: DType.Float64).RequiresGrad_();
var v = Tensor.Randn([4, 2], dtype: DType.Float64).RequiresGrad_();
var result = GradCheck.Check(t => t[0].MatMul(t[1]).Tanh(), [w, v]);
Console.WriteLine(result);
Console.WriteLine(result.Passed ? "GradCheck passed" : "GradCheck FAILED");
return result.Passed ? 0 : 1;
