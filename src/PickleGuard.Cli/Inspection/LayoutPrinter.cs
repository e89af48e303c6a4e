using System.Globalization;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Cli.Inspection;

/// <summary>Prints an artifact's container layout as an indented tree.</summary>
internal static class LayoutPrinter
{
    private const int MaxDepth = 32;
    private const int MaxNodes = 2_000;

    public static void Write(ContainerNode root, string displayName, TextWriter output)
    {
        var printed = 0;
        Write(root, displayName, output, depth: 0, ref printed);
        if (printed > MaxNodes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … {printed - MaxNodes} more nodes not shown"));
        }
    }

    private static void Write(ContainerNode node, string name, TextWriter output, int depth, ref int printed)
    {
        if (++printed > MaxNodes || depth > MaxDepth)
        {
            return;
        }
        var size = node.Size is { } bytes ? string.Create(CultureInfo.InvariantCulture, $", {bytes} bytes") : "";
        var offset = depth == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" @ 0x{node.Offset:x}");
        var note = node.Note is null ? "" : " — " + node.Note;
        output.WriteLine($"{new string(' ', 2 + depth * 2)}{name} [{node.Format.ToString().ToLowerInvariant()}{size}]{offset}{note}");
        foreach (var child in node.Children)
        {
            Write(child, child.Name, output, depth + 1, ref printed);
        }
    }
}
