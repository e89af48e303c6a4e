# \N{name} escapes (stdlib: test/re_tests.py, test/test_float.py).
u = '\N{LATIN CAPITAL LETTER A WITH DIAERESIS}'
s = "\N{EM SPACE}3.14\N{EN SPACE}"
b = f"\N{BULLET} {u}"
