using System.Reflection;
using System.Runtime.CompilerServices;

namespace Nabla.Tests.Api;

/// <summary>
/// The everyday API is one namespace, <c>Nabla</c> (as <c>torch</c> is one import): the tensor, its dtype, the random
/// generator, every operation on a tensor (operators and extension members), autograd's switches, GradCheck and the
/// exceptions. Modules, optimizers, data, IO, training and models keep their own namespaces (as torch.nn, torch.optim).
/// </summary>
public class NamespaceTests
{
    private static readonly Assembly Library = typeof(Tensor).Assembly;

    [Theory]
    [InlineData(typeof(Tensor))]
    [InlineData(typeof(DType))]
    [InlineData(typeof(Generator))]
    [InlineData(typeof(TensorOps))]
    [InlineData(typeof(GradMode))]
    [InlineData(typeof(GradCheck))]
    [InlineData(typeof(GradCheckOptions))]
    [InlineData(typeof(NablaException))]
    [InlineData(typeof(ShapeMismatchException))]
    [InlineData(typeof(DTypeMismatchException))]
    [InlineData(typeof(AutogradException))]
    [InlineData(typeof(FreedTensorException))]
    public void Everyday_type_is_in_Nabla(Type type) => Assert.Equal("Nabla", type.Namespace);

    [Fact]
    public void No_public_type_is_left_in_the_old_namespaces()
    {
        var old = Library.GetExportedTypes()
            .Where(t => t.Namespace is "Nabla.Tensors" or "Nabla.Ops" or "Nabla.Autograd")
            .Select(t => t.FullName).ToList();
        Assert.True(old.Count == 0, "public types outside the everyday namespace: " + string.Join(", ", old));
    }

    /// <summary>Every extension member or operator that takes a Tensor lives in a type of namespace Nabla, so
    /// <c>using Nabla;</c> alone brings it into scope.</summary>
    [Fact]
    public void Every_tensor_extension_and_operator_is_declared_in_Nabla()
    {
        var found = 0;
        var elsewhere = new List<string>();
        foreach (var type in Library.GetExportedTypes().Where(t => t.IsAbstract && t.IsSealed))
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var ps = m.GetParameters();
                bool isExtension = m.IsDefined(typeof(ExtensionAttribute)) && ps.Length > 0 && ps[0].ParameterType == typeof(Tensor);
                bool isOperator = m.IsSpecialName && m.Name.StartsWith("op_") && ps.Any(p => p.ParameterType == typeof(Tensor));
                if (!isExtension && !isOperator) continue;
                found++;
                if (type.Namespace != "Nabla") elsewhere.Add($"{type.FullName}.{m.Name}");
            }
        Assert.True(found > 100, $"only {found} tensor extension members found: did the reflection scan break?");
        Assert.True(elsewhere.Count == 0, "tensor extensions outside namespace Nabla: " + string.Join(", ", elsewhere));
    }

    [Fact]
    public void Operators_and_reductions_bind_to_Nabla_not_Linq()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0]);
        var b = Tensor.FromArray([10.0, 20.0, 30.0]);
        Tensor sum = (a + b).Sum();   // a LINQ Sum would not return a Tensor
        Assert.Equal(66.0, sum.Item());
        var add = typeof(TensorOps).GetMethod("op_Addition", [typeof(Tensor), typeof(Tensor)]);
        Assert.NotNull(add);
    }
}
