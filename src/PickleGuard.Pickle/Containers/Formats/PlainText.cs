using System.Buffers;
using System.Text;

namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>Tells text from binary content by its bytes.</summary>
internal static class PlainText
{
    /// <summary>
    /// Whether the bytes are text: UTF-8 with no control character but tab, newline and carriage return (a curly
    /// apostrophe in a Markdown page is text; ASCII alone made wagtail's docs page a broken pickle). A sequence cut off at
    /// the end counts, as the bytes may be the head of a longer file. Binary pickles are not text: a protocol 2+ stream
    /// starts with PROTO (0x80, no UTF-8 lead byte), and binary opcodes' lengths and arguments hold control bytes.
    /// Being text only proves the file was not meant as a pickle; <see cref="PickleProbe.CannotCallAnything"/> decides
    /// that it is harmless (a protocol 0 pickle is text too, with raw UTF-8 in a <c>V</c> string or not).
    /// </summary>
    public static bool IsPlainText(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                return true;
            }
            if (status != OperationStatus.Done || (Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r')))
            {
                return false;
            }
            bytes = bytes[consumed..];
        }

        return true;
    }
}
