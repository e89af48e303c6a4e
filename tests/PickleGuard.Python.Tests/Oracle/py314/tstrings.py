# PEP 750 template strings (Python 3.14).
name = "world"
width = 10
greeting = t"hello {name}"
converted = t"{name!r} and {name!s:>{width}} and {name!a}"
debug = t"{name=} {width = :>5}"
raw = rt"C:\path\{name}"
upper = Rt"{name}\n"
triple = t"""line one {name}
line two {width:{width}d}"""
implicit = t"abc" t"{name}" t'single'
nested = t"outer {t'inner {name}'}"
fstring_inside = t"{f'{name}'}"
empty = t""
escaped = t"{{literal}} {name}"
lambda_in = t"{(lambda x: x * 2)(width)}"
multiline_expr = t"{
    name
}"
unicode = t"héllo {name} ✓"
