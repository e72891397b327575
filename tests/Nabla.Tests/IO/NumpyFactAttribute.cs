namespace Nabla.Tests.IO;

/// <summary>A fact that is skipped, with the reason shown, when python3 with numpy is not installed.</summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    public NumpyFactAttribute()
    {
        if (NumpyPython.SkipReason is string reason) Skip = reason;
    }
}
