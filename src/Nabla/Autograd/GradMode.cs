namespace Nabla;

/// <summary>
/// The one piece of ambient state: whether operations are recorded on this thread. Use
/// <c>using (GradMode.NoGrad()) { ... }</c> for inference and parameter updates (like <c>torch.no_grad()</c>).
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    public static bool IsEnabled => _disabledDepth == 0;

    /// <summary>Turns recording off until the returned scope is disposed (scopes nest).</summary>
    public static Scope NoGrad()
    {
        _disabledDepth++;
        return new Scope();
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => _disabledDepth--;
    }
}
