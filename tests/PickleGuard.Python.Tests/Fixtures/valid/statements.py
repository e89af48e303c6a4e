import os, os.path as p, a.b.c
from . import x
from ..pkg.mod import (a as b, c,)
from ... import y
from __future__ import annotations
x = y = z = 1
x += 1; y @= 2; z //= 3; w **= 4; v >>= 5
x: int
x: list[int] = []
(x): int = 1
a.b: int
a[0]: int = 1
a, *b = c
[a, b], c = d
del a, b[0], c.d, (e, f), [g]
assert x, "msg"
global g1, g2
raise
raise E
raise E from None
pass
if a:
    pass
elif b:
    pass
elif c:
    x = 1
else:
    pass
while x:
    break
else:
    continue
for i, j in k:
    pass
else:
    pass
for x in *a, b:
    pass
try:
    pass
except E:
    pass
except (A, B) as e:
    pass
except:
    pass
else:
    pass
finally:
    pass
try:
    pass
finally:
    pass
try:
    pass
except* E as eg:
    pass
with a as b, c as (d, e):
    pass
with (a as b, c as d,):
    pass
with (a, b) as c:
    pass
with (a):
    pass
x = 1;
