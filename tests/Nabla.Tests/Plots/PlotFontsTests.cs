using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class PlotFontsTests
{
    [Fact]
    public void Embedded_typefaces_have_the_glyphs_that_labels_use()
    {
        foreach (bool bold in new[] { false, true })
        {
            using var tf = PlotFonts.CreateTypeface(bold);
            Assert.Equal("DejaVu Sans", tf.FamilyName);
            foreach (char ch in "Aa0.-−∇∂σμ²×é")                 // ASCII, math minus, nabla, Greek, superscript, Latin-1
                Assert.True(tf.GetGlyph(ch) != 0, $"no glyph for '{ch}' (bold={bold})");
        }
    }
}
