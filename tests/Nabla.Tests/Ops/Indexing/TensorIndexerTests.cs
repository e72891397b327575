using static Nabla.TensorIndex;

namespace Nabla.Tests.Ops.Indexing;

/// <summary>x[...] reading and assignment. Expected values: PyTorch 1.13 on torch.arange(24.).reshape(2, 3, 4)
/// (the Python index is in each comment), except where noted as by hand.</summary>
public class TensorIndexerTests
{
    private static Tensor X => Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);

    private static void AssertIndexed(Tensor y, int[] shape, double[] values)
    {
        TestUtil.AssertShape(y, shape);
        Assert.Equal(values, y.ToArray<double>());
    }

    [Fact]
    public void Reading_every_index_form_matches_torch()
    {
        var x = X;
        AssertIndexed(x[0, .., 1..3], [3, 2], [1, 2, 5, 6, 9, 10]);                            // x[0, :, 1:3]
        AssertIndexed(x[^1], [3, 4], [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);        // x[-1]
        AssertIndexed(x[-1], [3, 4], [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);        // x[-1]
        AssertIndexed(x[.., 0], [2, 4], [0, 1, 2, 3, 12, 13, 14, 15]);                          // x[:, 0]
        AssertIndexed(x[Tensor.Ellipsis, 0], [2, 3], [0, 4, 8, 12, 16, 20]);                    // x[..., 0]
        AssertIndexed(x[1, Tensor.Ellipsis, 1..], [3, 3], [13, 14, 15, 17, 18, 19, 21, 22, 23]); // x[1, ..., 1:]
        AssertIndexed(x[.., 1..100, -2], [2, 2], [6, 10, 18, 22]);                              // x[:, 1:100, -2] (clamped)
        AssertIndexed(x[.., 2..1], [2, 0, 4], []);                                              // x[:, 2:1] (empty)
        AssertIndexed(x[0, TensorIndex.Slice(null, null, 2), TensorIndex.Slice(1, null, 2)], [2, 2], [1, 3, 9, 11]); // x[0, ::2, 1::2]
        AssertIndexed(x[TensorIndex.Slice(-3), -2], [2, 4], [4, 5, 6, 7, 16, 17, 18, 19]);      // x[-3:, -2]
        AssertIndexed(x[0, ^2..], [2, 4], [4, 5, 6, 7, 8, 9, 10, 11]);                          // x[0, -2:]
        AssertIndexed(x[1, 2, 3], [], [23]);                                                    // x[1, 2, 3] (0-d)
        AssertIndexed(x[..], [2, 3, 4], Enumerable.Range(0, 24).Select(i => (double)i).ToArray()); // x[:]
    }

    [Fact]
    public void New_axis_and_ellipsis_place_dims_like_torch()
    {
        var x = X;
        TestUtil.AssertShape(x[Tensor.NewAxis, ..], 1, 2, 3, 4);                                // x[None, :]
        TestUtil.AssertShape(x[TensorIndex.NewAxis], 1, 2, 3, 4);                               // x[None]
        TestUtil.AssertShape(x[Tensor.Ellipsis, Tensor.NewAxis], 2, 3, 4, 1);                   // x[..., None]
        AssertIndexed(x[.., Tensor.NewAxis, 2], [2, 1, 4], [8, 9, 10, 11, 20, 21, 22, 23]);     // x[:, None, 2]
        AssertIndexed(x[Tensor.Ellipsis, 1, Tensor.NewAxis], [2, 3, 1], [1, 5, 9, 13, 17, 21]); // x[..., 1, None]
        // An ellipsis that stands for no dim, and indices on a 0-d tensor (by hand).
        AssertIndexed(x[1, 2, Tensor.Ellipsis, 3], [], [23]);
        var s = Tensor.Scalar(5.0, DType.Float64);
        AssertIndexed(s[Tensor.Ellipsis], [], [5]);
        AssertIndexed(s[Tensor.NewAxis], [1], [5]);
    }

    [Fact]
    public void Bare_markers_with_using_static_TensorIndex()
    {
        var x = X;
        AssertIndexed(x[Ellipsis, 0], [2, 3], [0, 4, 8, 12, 16, 20]);                          // x[..., 0]
        TestUtil.AssertShape(x[NewAxis, ..], 1, 2, 3, 4);                                      // x[None, :]
        AssertIndexed(x[1, Slice(null, null, 2), Slice(-1)], [2, 1], [15, 23]);                // x[1, ::2, -1:]
    }

    [Fact]
    public void Reading_gives_a_view_of_a_non_contiguous_tensor_too()
    {
        var x = X;
        var v = x[0, .., 1..3];
        v.Fill_(-1);                                   // writes through to x
        Assert.Equal([0.0, -1, -1, 3], x[0, 0].ToArray<double>());
        // Indexing a transposed tensor: xᵀ[1] = x[:, 1] of the [4, 3] matrix, by hand.
        var m = Tensor.Arange(12, DType.Float64).Reshape(3, 4).Transpose(0, 1);   // [4, 3]
        AssertIndexed(m[1], [3], [1, 5, 9]);
        AssertIndexed(m[1.., ^1], [3], [9, 10, 11]);
    }

    private static void AssertOutOfRange(TensorIndexException e, int dim, string index, int size)
    {
        Assert.Equal(dim, e.Dim);
        Assert.Equal(index, e.Index);
        Assert.Equal(size, e.Size);
    }

    [Fact]
    public void Out_of_range_and_too_many_indices_throw_typed_errors()
    {
        var x = X;
        var e = Assert.Throws<TensorIndexException>(() => x[2]);
        AssertOutOfRange(e, 0, "2", 2);
        Assert.Contains("index 2 is out of range for dim 0 of size 2", e.Message);
        e = Assert.Throws<TensorIndexException>(() => x[0, -4]);
        AssertOutOfRange(e, 1, "-4", 3);
        e = Assert.Throws<TensorIndexException>(() => x[.., .., ^5]);
        AssertOutOfRange(e, 2, "^5", 4);
        e = Assert.Throws<TensorIndexException>(() => x[.., .., ^0]);   // ^0 is one past the end
        AssertOutOfRange(e, 2, "^0", 4);
        e = Assert.Throws<TensorIndexException>(() => x[Tensor.Ellipsis, 4]);
        AssertOutOfRange(e, 2, "4", 4);

        e = Assert.Throws<TensorIndexException>(() => x[0, 0, 0, 0]);
        Assert.Contains("too many indices for a tensor of rank 3", e.Message);
        Assert.Contains("[2, 3, 4]", e.Message);
        Assert.Null(e.Dim);
        Assert.Throws<TensorIndexException>(() => Tensor.Scalar(1.0)[0]);
        e = Assert.Throws<TensorIndexException>(() => x[Tensor.Ellipsis, 0, Tensor.Ellipsis]);
        Assert.Contains("only one Ellipsis", e.Message);
        Assert.Throws<TensorIndexException>(() => TensorIndex.Slice(0, 2, 0));
        Assert.Throws<TensorIndexException>(() => x[default(TensorIndex)]);
        // Assignment checks the same way before writing anything.
        var y = X;
        Assert.Throws<TensorIndexException>(() => y[0, 3] = 1.0);
        Assert.Equal(X.ToArray<double>(), y.ToArray<double>());
    }

    [Fact]
    public void Assignment_forms_match_torch()
    {
        var y = X;
        y[.., 0] = Tensor.FromArray([100.0, 101, 102, 103]);                                    // y[:, 0] = [100..103] (broadcast)
        Assert.Equal([100.0, 101, 102, 103, 4, 5, 6, 7, 8, 9, 10, 11, 100, 101, 102, 103, 16, 17, 18, 19, 20, 21, 22, 23], y.ToArray<double>());

        y = X;
        y[Tensor.Ellipsis, -1] = 7;                                                              // y[..., -1] = 7
        Assert.Equal([0.0, 1, 2, 7, 4, 5, 6, 7, 8, 9, 10, 7, 12, 13, 14, 7, 16, 17, 18, 7, 20, 21, 22, 7], y.ToArray<double>());

        y = X;
        y[1, 1.., TensorIndex.Slice(null, null, 2)] = Tensor.FromArray([-1.0, -2], 2, 1);     // y[1, 1:, ::2] = [[-1], [-2]]
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -1, 17, -1, 19, -2, 21, -2, 23], y.ToArray<double>());

        y = X;
        y[1, 2, 3] = 0.5f;                                                                       // one element, a float scalar
        Assert.Equal(0.5, y.At(1, 2, 3));

        // Overlapping source and destination read the old values (NumPy's result; by hand: [0, 0, 1, 2] per row).
        y = X;
        y[0, .., 1..] = y[0, .., ..^1];
        Assert.Equal([0.0, 0, 1, 2, 4, 4, 5, 6, 8, 8, 9, 10], y[0].ToArray<double>());

        // float32 target with a double and an int scalar: keeps float32.
        var f = Tensor.Zeros(2, 3);
        f[0] = 2.5;
        f[.., ^1] = 4;
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([2.5f, 2.5f, 4, 0, 0, 4], f.ToArray<float>());

        // int32 labels.
        var labels = Tensor.FromArray([1, 2, 3]);
        labels[^1] = 9;
        Assert.Equal([1, 2, 9], labels.ToArray<int>());
    }

    [Fact]
    public void Assignment_errors_name_the_problem()
    {
        var y = X;
        var s = Assert.Throws<ShapeMismatchException>(() => y[.., 0] = Tensor.FromArray([1.0, 2, 3]));
        Assert.Contains("[2, 4]", s.Message);
        Assert.Contains("[3]", s.Message);
        Assert.Throws<DTypeMismatchException>(() => y[0] = Tensor.Zeros(3, 4));                 // a float32 tensor into float64
        var expanded = Tensor.Zeros([1, 4], DType.Float64).Expand(3, 4);
        Assert.Throws<NablaException>(() => expanded[.., 0] = 1.0);
        Assert.Equal(X.ToArray<double>(), y.ToArray<double>());
    }

    [Fact]
    public void Reading_backpropagates_into_the_indexed_positions()
    {
        TestUtil.AssertGrad(t => t[0][0, .., 1..3], TestUtil.RandD(1, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0][^1, Tensor.NewAxis, TensorIndex.Slice(null, null, 2)], TestUtil.RandD(2, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0][Tensor.Ellipsis, -1] * t[0][.., 0, ..^1].Sum(), TestUtil.RandD(3, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Transpose(0, 2)[1.., 1], TestUtil.RandD(4, 2, 3, 4));

        // The gradient, by hand: ones at the read positions (twice where read twice), zeros elsewhere.
        var x = Tensor.Zeros([2, 3], DType.Float64).RequiresGrad_();
        (x[0, 1..].Sum() + x[.., 2].Sum()).Backward();
        Assert.Equal([0.0, 1, 2, 0, 0, 1], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Assignment_into_a_non_leaf_backpropagates_to_both_sides()
    {
        // h = 2a; h[:, 0] = v (v broadcast along dim 0); y = h * h.
        TestUtil.AssertGrad(t =>
        {
            var h = t[0] * 2.0;
            h[.., 0] = t[1];
            return h * h;
        }, TestUtil.RandD(5, 3, 2, 4), TestUtil.RandD(6, 4));
        TestUtil.AssertGrad(t =>
        {
            var h = t[0].Sin();                         // Sin's backward reads its input, not h (Exp's reads h: refused, VersionCounterTests)
            h[Tensor.Ellipsis, 1..3] = t[1][.., Tensor.NewAxis];
            h[0, 0, 0] = 1.5;                           // a constant over part of it: no gradient there
            return h;
        }, TestUtil.RandD(7, 2, 3, 4), TestUtil.RandD(8, 3));

        // By hand: h = a + 0 (a: [3]); h[1] = 5·v; L = Σh → ∂L/∂a = [1, 0, 1], ∂L/∂v = 5.
        var a = Tensor.Zeros([3], DType.Float64).RequiresGrad_();
        var v = Tensor.Scalar(1.0, DType.Float64).RequiresGrad_();
        var h2 = a + 0.0;
        h2[1] = v * 5.0;
        Assert.Equal("IndexPutBackward", h2.GradFn!.Name);
        h2.Sum().Backward();
        Assert.Equal([1.0, 0, 1], a.Grad!.ToArray<double>());
        Assert.Equal(5.0, v.Grad!.Item());
    }

    [Fact]
    public void Assignment_gradients_are_the_same_when_backward_recycles_intermediates()
    {
        // The pre-assignment handle shares storage with the assigned tensor; recycling must not free it early.
        double[][] Run(bool free)
        {
            var a = TestUtil.RandD(11, 3, 4);
            var v = TestUtil.RandD(12, 4);
            var h = a.Tanh() * 2.0;
            h[1] = v.Exp();
            var h2 = h.Clone();                        // h was read below, so the write goes into a clone (see the refusal test)
            h2[.., 1..3] = h[.., 1..3] * 0.5;
            ((h2 * h2).Sum() + h2[0, 0]).Backward(freeIntermediates: free);
            return [a.Grad!.ToArray<double>(), v.Grad!.ToArray<double>()];
        }
        var kept = Run(false);
        var freed = Run(true);
        Assert.Equal(kept[0], freed[0]);
        Assert.Equal(kept[1], freed[1]);
    }

    [Fact]
    public void Assigning_a_tensor_that_requires_grad_into_a_plain_tensor_records_it()
    {
        var w = Tensor.FromArray([1.0, 2.0]).RequiresGrad_();
        var buffer = Tensor.Zeros([3, 2], DType.Float64);
        buffer[1] = w;
        Assert.True(buffer.RequiresGrad);
        Assert.False(buffer.IsLeaf);
        (buffer * buffer).Sum().Backward();            // ∂/∂w Σ w² = 2w
        Assert.Equal([2.0, 4.0], w.Grad!.ToArray<double>());
    }

    [Fact]
    public void Assigning_into_a_leaf_that_requires_grad_is_refused_unless_grad_is_off()
    {
        var w = Tensor.Zeros([2, 3], DType.Float64).RequiresGrad_();
        var e = Assert.Throws<AutogradException>(() => w[.., 0] = 1.0);
        Assert.Contains("leaf tensor that requires grad", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Equal(new double[6], w.ToArray<double>());   // nothing written
        using (GradMode.NoGrad()) w[.., 0] = 1.0;           // as torch.no_grad(): an initialisation write
        Assert.Equal([1.0, 0, 0, 1, 0, 0], w.ToArray<double>());
        Assert.True(w.IsLeaf);
    }

    [Fact]
    public void Assigning_where_the_gradient_would_be_wrong_is_refused()
    {
        var a = Tensor.Zeros([2, 3], DType.Float64).RequiresGrad_();
        var h = a * 2.0;
        var used = h.Exp();                                  // h is now an input of ExpOp
        var e = Assert.Throws<AutogradException>(() => h[0] = 1.0);
        Assert.Contains("already used", e.Message);
        var view = (a * 2.0)[0];                             // a view of a tensor in the graph
        e = Assert.Throws<AutogradException>(() => view[0] = 1.0);
        Assert.Contains("view", e.Message);
        GC.KeepAlive(used);
    }

    [Fact]
    public void Docs_example_compiles_and_holds()
    {
        // docs/tensors-and-indexing.md, "Indexing with x[...]", verbatim apart from the asserts.
        var x = Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);
        var a = x[0, .., 1..3];                     // x[0, :, 1:3]   -> [3, 2], a view
        var b = x[^1];                              // x[-1]          -> [3, 4]
        var c = x[Tensor.Ellipsis, 0];              // x[..., 0]      -> [2, 3]
        var d = x[Tensor.NewAxis, ..];              // x[None, :]     -> [1, 2, 3, 4]
        var e = x[0, TensorIndex.Slice(null, null, 2), -1];   // x[0, ::2, -1] -> [2]
        TestUtil.AssertShape(a, 3, 2);
        TestUtil.AssertShape(b, 3, 4);
        TestUtil.AssertShape(c, 2, 3);
        TestUtil.AssertShape(d, 1, 2, 3, 4);
        Assert.Equal([3.0, 11], e.ToArray<double>());

        x[.., 0] = Tensor.FromArray([9.0, 9, 9, 9]);   // broadcast to the [2, 4] slice, in place
        x[Tensor.Ellipsis, ^1] = 0;                     // a number takes x's dtype
        Assert.Equal([9.0, 9, 9, 0, 4, 5, 6, 0, 8, 9, 10, 0], x[0].ToArray<double>());

        var w = Tensor.Randn([2, 3], dtype: DType.Float64).RequiresGrad_();
        var h = w * 2;
        h[.., 0] = 1.0;                             // recorded: no gradient flows to w[:, 0]
        w[0, 1..].Sum().Backward();                 // reading is recorded too: w.Grad = [[0, 1, 1], [0, 0, 0]]
        Assert.Equal([0.0, 1, 1, 0, 0, 0], w.Grad!.ToArray<double>());
        Assert.Equal([1.0, 1.0], h[.., 0].ToArray<double>());
        Assert.Throws<AutogradException>(() => w[0] = 1.0);
    }
}
