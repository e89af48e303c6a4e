using System.Numerics;

namespace PickleGuard.Python;

/// <summary>
/// The names one parse made (identifiers, attribute, keyword, parameter and import names; see
/// <see cref="Parser"/>'s <c>Intern</c>) and the values of its str literals of at most <see cref="MaxStringLength"/>
/// chars (a literal or an implicit concatenation of literals; not the text pieces of an f-string), kept as a Bloom
/// filter: <see cref="MayContain"/> is false only for a string no node of the tree holds as a name or such a value.
/// Asking it costs two bit tests, where searching the module's text for the spelling costs a pass over the text: the
/// search for a function's callers asks it of every module importing the function's module, the settings check of
/// every module. Sized from the text (a bit per four chars, two bits an entry), so a large module does not fill it.
/// </summary>
public sealed class NameFilter
{
    /// <summary>The longest str literal value noted; a longer one may be missing from the filter.</summary>
    public const int MaxStringLength = 64;

    private const int MinBits = 256;
    private const int MaxBits = 1 << 20;

    private readonly ulong[] _words;
    private readonly int _shift;

    internal NameFilter(int textLength)
    {
        var bits = BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(textLength / 4, MinBits, MaxBits));
        _words = new ulong[bits / 64];
        _shift = 32 - BitOperations.Log2(bits);
    }

    /// <summary>Notes a name by its <see cref="NameTable.Hash"/>.</summary>
    internal void Add(int hash)
    {
        var (first, second) = Positions(hash);
        _words[first >> 6] |= 1UL << first;
        _words[second >> 6] |= 1UL << second;
    }

    /// <summary>
    /// False when the parse made no name <paramref name="name"/> and no such short str value; true when it did (and,
    /// rarely, when it did not).
    /// The empty name is the parser's placeholder for a missing one, so it may always be there.
    /// </summary>
    public bool MayContain(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return true;
        }
        var (first, second) = Positions(NameTable.Hash(name));
        return (_words[first >> 6] & (1UL << first)) != 0 && (_words[second >> 6] & (1UL << second)) != 0;
    }

    /// <summary>Two bit positions from one hash: its top bits, and the top bits of its product with a large odd number.</summary>
    private (int First, int Second) Positions(int hash) =>
        ((int)((uint)hash >> _shift), (int)(((uint)hash * 0x9E3779B1u) >> _shift));
}
