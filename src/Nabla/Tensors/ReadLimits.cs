namespace Nabla;

/// <summary>
/// Upper bounds that every file reader checks before it allocates for what a file's header declares, so that a
/// small hostile file (a forged header, a decompression bomb, a huge image) is refused with a typed error instead of
/// exhausting memory. Declared sizes are also checked against the bytes actually present, whatever these limits say.
/// </summary>
/// <example><code>
/// var big = new ReadLimits { MaxBytes = 8L &lt;&lt; 30 };          // allow one 8 GiB array
/// var arrays = Npz.Load("weights.npz", big);
/// </code></example>
public sealed record ReadLimits
{
    /// <summary>The default: <see cref="MaxBytes"/> = the memory this process may use.</summary>
    public static ReadLimits Default => new();

    /// <summary>Largest single allocation (bytes) a reader makes for declared data: one array, one archive member,
    /// one decoded image. Default: the memory available to the process as the runtime sees it (physical memory,
    /// or the container's or <c>DOTNET_GCHeapHardLimit</c>'s cap).</summary>
    public long MaxBytes { get; init; } = AvailableMemory();

    /// <summary>Largest image (width × height) decoded. Default 2^25 = 33,554,432 pixels (a 32-megapixel photo
    /// passes; an 8000 × 8000 image does not). Checked from the image header, before decoding.</summary>
    public long MaxImagePixels { get; init; } = 1L << 25;

    /// <summary>Longest line (characters) of a text format (CSV, word vectors, TREC). Default 2^20.</summary>
    public int MaxLineLength { get; init; } = 1 << 20;

    /// <summary>Largest JSON or text file (or archive entry) read whole into memory: a checkpoint's meta.json, a run
    /// folder's config.json / preprocess.json / metrics.json / metrics.jsonl, a safetensors header, a list of class
    /// names. Default 2^24 bytes (16 MiB; Nabla writes such files of a few kilobytes). A larger file is refused with a
    /// <see cref="FileTooLargeException"/> naming it and this limit, before it is read.</summary>
    public long MaxTextBytes { get; init; } = 1L << 24;

    /// <summary>Throws the exception <paramref name="fail"/> builds when <paramref name="bytes"/> is over
    /// <see cref="MaxBytes"/> or over what one .NET array can hold.</summary>
    internal void CheckBytes(long bytes, string what, Func<string, Exception> fail)
    {
        if (bytes > MaxBytes)
            throw fail($"{what} needs {Size(bytes)}, more than the read limit of {Size(MaxBytes)} (the memory available; ReadLimits.MaxBytes)");
        if (bytes > Array.MaxLength)
            throw fail($"{what} needs {Size(bytes)}, more than one array can hold ({Size(Array.MaxLength)})");
    }

    /// <summary>"1.9 GB"-style size for messages (exact bytes below 10 kB).</summary>
    internal static string Size(long bytes) => bytes switch
    {
        < 10_000 => $"{bytes} bytes",
        < 10_000_000 => $"{bytes / 1e3:0.#} kB",
        < 10_000_000_000 => $"{bytes / 1e6:0.#} MB",
        _ => $"{bytes / 1e9:0.#} GB",
    };

    private static long AvailableMemory()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available : long.MaxValue;
    }
}
