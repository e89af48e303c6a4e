# An unknown \N{name} is a SyntaxError (found by the mutation test: a deleted letter in test_json/test_unicode.py).
u = '\N{GREEK SMALL LETTER ALPHA}\N{GREEK CAPITAL LETTR OMEGA}'
