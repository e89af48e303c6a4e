# More PEP 750 template-string shapes (Python 3.14).
x, y, z = 1, 2, 3
debug_conversion_spec = t"{x=!r:>10}"
nested_spec = t"{x:{y}.{z}f}"
nested_quotes = t"{'a' "b"}"
inner_template = t'{t"{x}"}'
escapes = t"\n{x}\t\N{BULLET}\x41"
raw_triple = rt"""{x}\d
{y}"""
debug_multiline = t"""{
    x
    =
}"""
in_call = print(t"{x}", t"{y!s}")
in_comprehension = [t"{i}" for i in range(3)]
conditional = t"{x if x else y}"
dict_in_field = t"{ {'k': x}['k'] }"
starred_tuple = t"{(*[x], y)}"
await_free_lambda = t"{(lambda: x)()}"
spec_with_colon = t"{x:%H:%M}"
