using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A literal remote URL given where a call takes a path or a URL (<c>fsspec.open("https://...")</c>,
/// <c>pandas.read_pickle("s3://bucket/frame.pkl")</c>): the program chose the address, but what comes back is whatever
/// the server or bucket holds, so it is network data rather than a file the program controls.
/// </summary>
internal static class RemoteUrls
{
    private const int MaxDepth = 4;

    /// <summary>Schemes whose content comes from another machine: HTTP and FTP, cloud object stores, Hugging Face and GitHub.</summary>
    private static readonly string[] Schemes =
    [
        "http://", "https://", "ftp://", "ftps://", "sftp://", "s3://", "s3a://", "gs://", "gcs://", "az://", "abfs://",
        "abfss://", "adl://", "hdfs://", "webhdfs://", "hf://", "github://",
    ];

    /// <summary>
    /// The leading literal text of <paramref name="expr"/> when it starts with a remote scheme: a string literal, an
    /// f-string or a <c>+</c> concatenation whose first part is one, or a name <paramref name="valueOf"/> gives one
    /// value for (a constant bound once). Null otherwise.
    /// </summary>
    public static string? Of(Expr expr, Func<NameExpr, Expr?> valueOf) => Of(expr, valueOf, 0);

    private static string? Of(Expr expr, Func<NameExpr, Expr?> valueOf, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        return expr switch
        {
            ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } text } } when IsRemote(text) => text,
            JoinedStrExpr { Values: [ConstantExpr first, ..] } => Of(first, valueOf, depth + 1) is { } prefix ? prefix + "..." : null,
            BinOpExpr { Op: BinaryOperator.Add } concatenation => Of(concatenation.Left, valueOf, depth + 1) is { } prefix ? prefix + "..." : null,
            NameExpr name when valueOf(name) is { } value => Of(value, valueOf, depth + 1),
            _ => null,
        };
    }

    private static bool IsRemote(string text)
    {
        foreach (var scheme in Schemes)
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
