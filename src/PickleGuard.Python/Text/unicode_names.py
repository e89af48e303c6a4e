"""Writes the Unicode tables the parser embeds, from CPython 3.13's unicodedata (the Unicode version of the
AST oracle). Run: ~/.pyenv/versions/3.13.0/bin/python3 unicode_names.py
UnicodeNames.gz, behind \\N{...} escapes: one "NAME<TAB>hex code point" a line, sorted by name (ordinal, so that
a lookup is a binary search over the lines). CJK unified ideographs
are left out: their names are computed (CJK UNIFIED IDEOGRAPH-XXXX). Name aliases (which \\N{} also
accepts) have no enumeration API in unicodedata: candidates are read from Perl's copy of the Unicode
database (/usr/share/perl/*/unicore/Name.pl) and kept only when unicodedata.lookup resolves them to one
character.
IdentifierNfkc.gz, for PEP 3131 identifier normalization: one "hex code point<TAB>hex code points of its
NFKC form (space-separated)" a line, for every identifier character that NFKC changes."""
import glob
import gzip
import sys
import unicodedata

lines = []
for cp in range(sys.maxunicode + 1):
    name = unicodedata.name(chr(cp), None)
    if name and not name.startswith("CJK UNIFIED IDEOGRAPH-"):
        lines.append(f"{name}\t{cp:x}")
known = {line.split("\t")[0] for line in lines}
for path in glob.glob("/usr/share/perl/*/unicore/Name.pl"):
    for candidate in open(path, encoding="ascii", errors="ignore").read().split("\n"):
        candidate = candidate.strip()
        if not candidate or candidate in known or not all(c.isupper() or c.isdigit() or c in " -()" for c in candidate):
            continue
        try:
            char = unicodedata.lookup(candidate)
        except KeyError:
            continue
        if len(char) == 1:
            known.add(candidate)
            lines.append(f"{candidate}\t{ord(char):x}")
lines.sort()
with gzip.GzipFile("UnicodeNames.gz", "wb", compresslevel=9, mtime=0) as out:
    out.write("\n".join(lines).encode("ascii"))
print(len(lines), "names, unicode", unicodedata.unidata_version)

pairs = []
for cp in range(sys.maxunicode + 1):
    c = chr(cp)
    if 0xD800 <= cp <= 0xDFFF or not ("a" + c).isidentifier():
        continue
    normal = unicodedata.normalize("NFKC", c)
    if normal != c:
        pairs.append(f"{cp:x}\t" + " ".join(f"{ord(n):x}" for n in normal))
with gzip.GzipFile("IdentifierNfkc.gz", "wb", compresslevel=9, mtime=0) as out:
    out.write("\n".join(pairs).encode("ascii"))
print(len(pairs), "identifier characters change under NFKC")
