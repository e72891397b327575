namespace Nabla.Training;

/// <summary>How many views <see cref="TestTimeAugmentation"/> averages (airbench's <c>tta_level</c>).</summary>
public enum TtaLevel
{
    /// <summary>One view: f(x).</summary>
    None,

    /// <summary>Two views: ½·f(x) + ½·f(mirror x).</summary>
    Mirror,

    /// <summary>Six views: ½·m(x) + ¼·m(shift₊x) + ¼·m(shift₋x), where m is the two-view mirror average and shift± moves
    /// the image one pixel down-right / up-left with reflect padding.</summary>
    MirrorTranslate,
}
