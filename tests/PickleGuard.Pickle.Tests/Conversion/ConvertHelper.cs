using System.Text;
using PickleGuard.Pickle.Conversion;

namespace PickleGuard.Pickle.Tests.Conversion;

/// <summary>Paths of the repository and a converter that records whether output was ever opened.</summary>
internal static class ConvertHelper
{
    public static string Root { get; } = FindRoot();

    public static string ConvertFixtures => Path.Combine(Root, "tests", "fixtures", "convert");

    public static PickleJsonConverter Converter(string profile = "plain", ConversionOptions? options = null) =>
        new(Scan.Policy(profile), options ?? ConversionOptions.Default);

    public static ConversionOptions Allowing(params string[] names) => new(new HashSet<string>(names, StringComparer.Ordinal));

    /// <summary>Converts in memory; the JSON text is null when the conversion refused.</summary>
    public static (ConversionResult Result, string? Json, bool OutputOpened) Run(byte[] pickle, string profile = "plain", ConversionOptions? options = null)
    {
        var buffer = new MemoryStream();
        bool opened = false;
        var result = Converter(profile, options).Convert(new MemoryStream(pickle), "test.pkl", () =>
        {
            opened = true;
            return buffer;
        });
        return (result, result.Converted ? Encoding.UTF8.GetString(buffer.ToArray()) : null, opened);
    }

    public static (ConversionResult Result, string? Json, bool OutputOpened) RunFile(string path, string profile = "plain", ConversionOptions? options = null)
    {
        var buffer = new MemoryStream();
        bool opened = false;
        var result = Converter(profile, options).Convert(path, () =>
        {
            opened = true;
            return buffer;
        });
        return (result, result.Converted ? Encoding.UTF8.GetString(buffer.ToArray()) : null, opened);
    }

    public static string Json(byte[] pickle, string profile = "plain", ConversionOptions? options = null)
    {
        var (result, json, _) = Run(pickle, profile, options);
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        return json!;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "fixtures", "convert")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/convert not found above " + AppContext.BaseDirectory);
    }
}
