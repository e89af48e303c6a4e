using System.Text;
using PickleGuard.Python;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Inputs;

/// <summary>
/// A notebook's syntax errors as Jupyter meets them: it compiles each code cell on its own, so a block header or an
/// open bracket at the end of a cell is an error in that cell. Parsed as the one script of all cells, the same error
/// is met at the next cell's first line, or not at all when the next cell closes the bracket.
/// </summary>
internal static class NotebookSyntax
{
    /// <summary>
    /// The diagnostics of each cell parsed alone, at lines of <paramref name="script"/> so that
    /// <see cref="NotebookCellMap.TryMap"/> names their cell. An error the parser meets at the end of a cell's text
    /// (CPython reports it there too) is put at the end of the cell's last line, never past it into the next cell.
    /// </summary>
    public static List<SyntaxProblem> Errors(SourceText script, NotebookCellMap map)
    {
        var errors = new List<SyntaxProblem>();
        var scriptLines = script.Text.AsSpan().Count('\n');
        for (var i = 0; i < map.CellStartLines.Count; i++)
        {
            var first = map.CellStartLines[i];
            var count = (i + 1 < map.CellStartLines.Count ? map.CellStartLines[i + 1] : scriptLines + 1) - first;
            if (count == 0)
            {
                continue;
            }
            var text = new StringBuilder();
            for (var line = first; line < first + count; line++)
            {
                text.Append(script.GetLineText(line)).Append('\n');
            }
            var cell = SourceText.FromString(text.ToString(), script.Path);
            foreach (var diagnostic in PythonParser.Parse(cell).Diagnostics)
            {
                var position = cell.GetLinePosition(diagnostic.Span.Start);
                var (line, column) = position.Line <= count
                    ? (position.Line, position.Column + 1)
                    : (count, cell.GetLineText(count).Length + 1);
                errors.Add(new SyntaxProblem(script.Path, first + line - 1, column, diagnostic.Message, diagnostic.IsPython2));
            }
        }
        return errors;
    }
}
