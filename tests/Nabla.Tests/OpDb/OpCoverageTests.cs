using System.Reflection;

namespace Nabla.Tests.OpDb;

/// <summary>
/// Every public differentiable op has a row in <see cref="OpTable"/>: the ops are found by reflection over the public
/// static methods of the static classes of namespace Nabla that take a tensor and return one (or several), so a new op without
/// a row fails here. Names that are deliberately not in the table are listed with the reason.
/// </summary>
public class OpCoverageTests
{
    /// <summary>Public ops that are not differentiable, or not rows, and why.</summary>
    private static readonly Dictionary<string, string> Excluded = new()
    {
        // Not differentiable: int32 or 0/1 results (PyTorch gives them no grad_fn either); their own tests cover values.
        ["ArgMax"] = "int32 indices",
        ["ArgMin"] = "int32 indices",
        ["Eq"] = "0/1 comparison",
        ["Ne"] = "0/1 comparison",
        ["Gt"] = "0/1 comparison",
        ["Ge"] = "0/1 comparison",
        ["Lt"] = "0/1 comparison",
        ["Le"] = "0/1 comparison",
    };

    /// <summary>Names of the public op surface: extension methods and operators of the static classes of namespace Nabla.</summary>
    public static SortedSet<string> PublicOps()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in typeof(TensorOps).Assembly.GetExportedTypes().Where(t => t.Namespace == "Nabla" && t.IsAbstract && t.IsSealed))
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
                if (m.GetParameters().Any(p => MentionsTensor(p.ParameterType)) && MentionsTensor(m.ReturnType))
                    names.Add(m.Name);
        return names;
    }

    private static bool MentionsTensor(Type t) =>
        t == typeof(Tensor) || (t.IsArray && MentionsTensor(t.GetElementType()!)) ||
        (t.IsGenericType && t.GetGenericArguments().Any(MentionsTensor));

    [Fact]
    public void Every_public_differentiable_op_has_a_row()
    {
        var covered = OpTable.All.SelectMany(r => r.Covers).ToHashSet();
        var missing = PublicOps().Where(n => !covered.Contains(n) && !Excluded.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, $"public ops without a row in OpTable (add one, or exclude with a reason): {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_table_and_the_exclusions_name_only_real_ops_and_do_not_overlap()
    {
        var ops = PublicOps();
        Assert.True(ops.Count > 80, $"the reflection found only {ops.Count} ops: {string.Join(", ", ops)}");
        var covered = OpTable.All.SelectMany(r => r.Covers).ToHashSet();
        Assert.DoesNotContain(covered, n => !ops.Contains(n));
        Assert.DoesNotContain(Excluded.Keys, n => !ops.Contains(n) || covered.Contains(n));
        Assert.Equal(OpTable.All.Count, OpTable.All.Select(r => r.Name).Distinct().Count());
    }
}
