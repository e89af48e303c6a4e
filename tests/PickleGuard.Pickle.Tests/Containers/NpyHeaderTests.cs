using System.Text;
using PickleGuard.Pickle.Containers.Formats;

namespace PickleGuard.Pickle.Tests.Containers;

public sealed class NpyHeaderTests
{
    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "'<f4'", false)]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "'|O'", true)]
    [InlineData("{'shape': (2,), 'descr': \"O\", 'fortran_order': False}", "\"O\"", true)]
    [InlineData("{'descr': [('a', '<f8'), ('b', '|O')], 'fortran_order': False, 'shape': (2,), }", "[('a', '<f8'), ('b', '|O')]", true)]
    [InlineData("{'descr': [('O', '<f8'), ('x', '<i4')], 'fortran_order': False, 'shape': (2,), }", "[('O', '<f8'), ('x', '<i4')]", false)]
    [InlineData("{'descr': '<U8', 'fortran_order': False, 'shape': (), }", "'<U8'", false)]
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
    }

    private static byte[] Npy(string dict)
    {
        var text = Encoding.Latin1.GetBytes(dict + "\n");
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)text.Length, (byte)(text.Length >> 8), .. text];
    }
}
