using System.Text;
using PickleGuard.Pickle.Containers.Formats;

namespace PickleGuard.Pickle.Tests.Containers;

public sealed class NpyHeaderTests
{
    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "'<f4'", false)]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "'|O'", true)]
    [InlineData("{'shape': (2,), 'descr': \"O\", 'fortran_order': False}", "'O'", true)]
    [InlineData("{'descr': [('a', '<f8'), ('b', '|O')], 'fortran_order': False, 'shape': (2,), }", "[('a', '<f8'), ('b', '|O')]", true)]
    [InlineData("{'descr': [('O', '<f8'), ('x', '<i4')], 'fortran_order': False, 'shape': (2,), }", "[('O', '<f8'), ('x', '<i4')]", false)]
    [InlineData("{'descr': '<U8', 'fortran_order': False, 'shape': (), }", "'<U8'", false)]
    // Red-team review: every spelling np.load turns into an object dtype (the header is read with ast.literal_eval).
    [InlineData("{'descr': 'object', 'fortran_order': False, 'shape': (1,), }", "'object'", true)]
    [InlineData("{'descr': '\\x4f', 'fortran_order': False, 'shape': (1,), }", "'O'", true)]
    [InlineData("{'descr': '|\\117', 'fortran_order': False, 'shape': (1,), }", "'|O'", true)]
    [InlineData("{'descr': '\\u004f', 'fortran_order': False, 'shape': (1,), }", "'O'", true)]
    [InlineData("{'descr': 'ob' 'ject', 'fortran_order': False, 'shape': (1,), }", "'object'", true)]
    [InlineData("{'descr': ('|O', (2,)), 'fortran_order': False, 'shape': (1,), }", "('|O', (2,))", true)]
    [InlineData("{'descr': 'i4,O', 'fortran_order': False, 'shape': (1,), }", "'i4,O'", true)]
    [InlineData("{'descr': '(2,)O', 'fortran_order': False, 'shape': (1,), }", "'(2,)O'", true)]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'descr': '|O', }", "'|O'", true)]
    [InlineData("{\"descr\": [(\"'descr': '<f8',\", '|O')], 'fortran_order': False, 'shape': (1,), }", "[(\"'descr': '<f8',\", '|O')]", true)]
    [InlineData("{'descr': 'mystery', 'fortran_order': False, 'shape': (1,), }", "'mystery'", true)]
    [InlineData("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (1,), }", "'<M8[ns]'", false)]
    [InlineData("{'descr': [('a', '<i4'), ('b', '<f8', (2, 3)), ('c', [('d', '|u1'), ('', '|V3')])], 'fortran_order': False, 'shape': (1,), }", "[('a', '<i4'), ('b', '<f8', (2, 3)), ('c', [('d', '|u1'), ('', '|V3')])]", false)]
    public void ReadsDescrAsTextAndFindsObjectTypes(string dict, string descr, bool hasObject)
    {
        var header = NpyHeader.Read(new MemoryStream(Npy(dict)), out var problem);
        Assert.Null(problem);
        Assert.NotNull(header);
        Assert.Equal(descr, header.Descr);
        Assert.Equal(hasObject, header.HasObject);
        Assert.Equal(10 + dict.Length + 1, header.PayloadOffset);
    }

    [Fact]
    public void MalformedHeadersAreReportedNotGuessed()
    {
        Assert.Null(NpyHeader.Read(new MemoryStream(Npy("{'shape': (2,)}")), out var missing));
        Assert.Equal("header has no 'descr'", missing);
        var truncated = Npy("{'descr': '<f4'}")[..12];
        Assert.Null(NpyHeader.Read(new MemoryStream(truncated), out var cut));
        Assert.Equal("truncated header", cut);
        Assert.Null(NpyHeader.Read(new MemoryStream(Npy("{'descr': '\\N{LATIN CAPITAL LETTER O}', 'fortran_order': False, 'shape': (1,)}")), out var named));
        Assert.StartsWith("the header is not a Python literal", named);
    }

    private static byte[] Npy(string dict)
    {
        var text = Encoding.Latin1.GetBytes(dict + "\n");
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)text.Length, (byte)(text.Length >> 8), .. text];
    }
}
