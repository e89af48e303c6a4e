name = "x"
a = f"hello {name}!"
b = f"{name!r:>{10}} {name=} {name = !s:<5} {3.14:.2f}"
c = f"{'nested'} {f'{name}'} {"same quotes"}"
d = f'''multi
{name
}line'''
e = f"{{literal}} {name}" "plain" f"{x:{y}.{z}}"
f = rf"\d{name}" fR'{name}\n' F"{x!a}"
g = f"{a if b else c}" f"{(lambda: 1)()}" f"{x,}" f"{yield_}"
h = f"{x:=10}" f"{(y:=10)}" f""
i = f"{ x = }" f"{x:}"
