using System.Text;

namespace Nabla.Labs;

/// <summary>
/// The assignment's submission file (the IFT6135-H2019 in-class Kaggle format): a header <c>id,label</c>, then one row
/// per test photo, <c>label</c> being <c>Cat</c> or <c>Dog</c>. The Kaggle test photos were named by a number
/// (<c>1.jpg</c> → id 1); the test split here is the data's <c>validation/</c> folder, where <c>cats/cat.2000.jpg</c> and
/// <c>dogs/dog.2000.jpg</c> share the number, so the id is the file name without its extension (<c>cat.2000</c>),
/// which is unique and names the file.
/// </summary>
public static class DogsVsCatsSubmission
{
    /// <summary>The header line.</summary>
    public const string Header = "id,label";

    /// <summary>The id of a photo: its file name without the extension (<c>…/cats/cat.2000.jpg</c> → <c>cat.2000</c>).</summary>
    public static string Id(string path) => Path.GetFileNameWithoutExtension(path);

    /// <summary>The label of a class folder: singular, capitalised (<c>cats</c> → <c>Cat</c>, <c>dogs</c> → <c>Dog</c>).</summary>
    public static string Label(string classFolder)
    {
        string singular = classFolder.EndsWith('s') && classFolder.Length > 1 ? classFolder[..^1] : classFolder;
        return singular.Length == 0 ? singular : char.ToUpperInvariant(singular[0]) + singular[1..].ToLowerInvariant();
    }

    /// <summary>Writes <paramref name="path"/>: the header, then <c>id,label</c> for each file in order; returns the
    /// number of rows. Throws <see cref="ArgumentException"/> when files and predictions differ in number, a
    /// prediction is not a class index, an id repeats or contains a comma, quote or line break.</summary>
    public static int Write(string path, IReadOnlyList<string> files, IReadOnlyList<int> predicted, IReadOnlyList<string> classes)
    {
        if (files.Count != predicted.Count)
            throw new ArgumentException($"DogsVsCatsSubmission.Write: {files.Count} files but {predicted.Count} predictions");
        var sb = new StringBuilder(Header).Append('\n');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++)
        {
            string id = Id(files[i]);
            if (id.IndexOfAny([',', '"', '\n', '\r']) >= 0)
                throw new ArgumentException($"DogsVsCatsSubmission.Write: the id '{id}' of {files[i]} cannot be written in a CSV without quoting");
            if (!seen.Add(id)) throw new ArgumentException($"DogsVsCatsSubmission.Write: two files have the id '{id}' ({files[i]})");
            if (predicted[i] < 0 || predicted[i] >= classes.Count)
                throw new ArgumentException($"DogsVsCatsSubmission.Write: prediction {predicted[i]} for {files[i]} is not a class index (0..{classes.Count - 1})");
            sb.Append(id).Append(',').Append(Label(classes[predicted[i]])).Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
        return files.Count;
    }
}
