"""Writes UnicodeNames.gz, the table behind \\N{...} escapes, from CPython 3.13's unicodedata (the Unicode
version of the AST oracle). Run: ~/.pyenv/versions/3.13.0/bin/python3 unicode_names.py
Format after gunzip: one "NAME<TAB>hex code point" a line. CJK unified ideographs are left out: their
names are computed (CJK UNIFIED IDEOGRAPH-XXXX)."""
import gzip
import sys
import unicodedata

lines = []
for cp in range(sys.maxunicode + 1):
    name = unicodedata.name(chr(cp), None)
    if name and not name.startswith("CJK UNIFIED IDEOGRAPH-"):
        lines.append(f"{name}\t{cp:x}")
with gzip.GzipFile("UnicodeNames.gz", "wb", compresslevel=9, mtime=0) as out:
    out.write("\n".join(lines).encode("ascii"))
print(len(lines), "names, unicode", unicodedata.unidata_version)
