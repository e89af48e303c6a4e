a = b if c else d
a = not b and c or d and not e
a = 1 < b <= c != d == e > f >= g is h is not i in j not in k
a = -b + +c * ~d ** -e // f % g @ h / i << j >> k & l ^ m | n
a = b ** c ** d
a = (yield)
a = [b for c in d if e if f for g in h]
a = {b for c in d}
a = {b: c for d, e in f}
a = (b for c in d)
f(b for c in d)
f(a, *b, c=d, **e, g=h)
f(*a, *b, **c, **d)
a = b[c], b[c:d], b[::e], b[c:d, e], b[...], b[*c], b[:]
a = b.c.d(e)[f].g
a = (b := 10)
if (n := len(a)) > 10: pass
a = [*b, *c], {*b}, {**b, 'k': v, **c}, (*b,)
a = ()
a = (1,)
a = [
    1,
    2,
]
a = {}
a = await_ = print_ = 1
x = (  # comment
  1 +
  2)
y = 1 + \
    2
print(*a, sep='')
a = b[1:2][3]
a = not not b
a = - - b
match = 1
match.x = 2
type = 3
case = _ = 4
