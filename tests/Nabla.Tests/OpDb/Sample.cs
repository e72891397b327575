namespace Nabla.Tests.OpDb;

/// <summary>A named set of inputs for one op.</summary>
public sealed record Sample(string Name, params Arg[] Args)
{
    public override string ToString() => Name;
}
