namespace PickleGuard.Reporting;

/// <summary>
/// Maps lines of the virtual script made from a notebook's code cells back to cells, so findings can
/// say <c>nb.ipynb:cell 3:2:5</c>. <see cref="CellStartLines"/>[i] is the first virtual line (1-based) of
/// the i-th entry of <see cref="CellIndexes"/>, the 1-based position of that cell among all cells.
/// </summary>
public sealed class NotebookCellMap(IReadOnlyList<int> cellIndexes, IReadOnlyList<int> cellStartLines)
{
    public IReadOnlyList<int> CellIndexes { get; } = cellIndexes;

    public IReadOnlyList<int> CellStartLines { get; } = cellStartLines;

    /// <summary>The cell and the 1-based line inside it for a virtual line; false when outside every cell.</summary>
    public bool TryMap(int virtualLine, out int cell, out int lineInCell)
    {
        cell = 0;
        lineInCell = 0;
        for (var i = CellStartLines.Count - 1; i >= 0; i--)
        {
            if (virtualLine >= CellStartLines[i])
            {
                cell = CellIndexes[i];
                lineInCell = virtualLine - CellStartLines[i] + 1;
                return true;
            }
        }
        return false;
    }
}
